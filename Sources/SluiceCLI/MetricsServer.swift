#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceConnectors
import SluiceDSL
import SluiceRuntime

/// Serves the run's counters in Prometheus' text format on `127.0.0.1:PORT/metrics`, from a
/// thread of its own, until stopped.
final class MetricsServer: @unchecked Sendable {
    private let lock = ConditionLock()
    private var progress: RunProgress?
    private var server: HTTPServer?

    init(port: Int) throws {
        server = nil
        server = try HTTPServer(host: "127.0.0.1", port: port, name: "metrics") { [unowned self] request in
            guard request.path == "/metrics" || request.path == "/" else {
                return .init(status: 404, reason: "Not Found", contentType: "text/plain", body: "not found: try GET /metrics\n")
            }
            return .init(contentType: "text/plain; version=0.0.4", body: metricsText())
        }
        Diagnostics.info("metrics on http://127.0.0.1:\(server!.port)/metrics")
    }

    /// The run whose counters to serve (set once the pipeline has started).
    func attach(_ progress: RunProgress) {
        lock.withLock { self.progress = progress }
    }

    func stop() {
        server?.stop()
    }

    private func metricsText() -> String {
        guard let progress = lock.withLock({ progress }) else { return "" }
        var text = """
        # HELP sluice_records_in_total Records read by all sources.
        # TYPE sluice_records_in_total counter
        sluice_records_in_total \(progress.recordsIn)
        # HELP sluice_records_out_total Records written by all sinks.
        # TYPE sluice_records_out_total counter
        sluice_records_out_total \(progress.recordsOut)
        # HELP sluice_bad_records_total Input lines that could not be read.
        # TYPE sluice_bad_records_total counter
        sluice_bad_records_total \(progress.badRecords)
        # HELP sluice_late_records_dropped_total Records too late for their windows or joins, with no late-data output.
        # TYPE sluice_late_records_dropped_total counter
        sluice_late_records_dropped_total \(progress.droppedLateRecords)
        # HELP sluice_backpressure_seconds_total Time producers spent blocked on full channels.
        # TYPE sluice_backpressure_seconds_total counter
        sluice_backpressure_seconds_total \(Double(progress.blockedNanos) / 1e9)
        # HELP sluice_watermark_alignment_pauses_total Times a source instance was paused for running ahead of its alignment group.
        # TYPE sluice_watermark_alignment_pauses_total counter
        sluice_watermark_alignment_pauses_total \(progress.alignmentPauses)
        # HELP sluice_watermark_alignment_wait_seconds_total Time source instances spent paused by watermark alignment.
        # TYPE sluice_watermark_alignment_wait_seconds_total counter
        sluice_watermark_alignment_wait_seconds_total \(Double(progress.alignmentWaitNanos) / 1e9)
        # HELP sluice_step_records_total Records emitted by each step.
        # TYPE sluice_step_records_total counter

        """
        if let counts = progress.checkpointCounts {
            text += "# HELP sluice_checkpoints_total Checkpoints by outcome.\n# TYPE sluice_checkpoints_total counter\n"
            text += "sluice_checkpoints_total{outcome=\"completed\"} \(counts.completed)\n"
            text += "sluice_checkpoints_total{outcome=\"failed\"} \(counts.failed)\n"
            if let last = progress.lastCheckpoint {
                text += "# HELP sluice_last_checkpoint_duration_seconds Duration of the newest completed checkpoint.\n"
                text += "# TYPE sluice_last_checkpoint_duration_seconds gauge\nsluice_last_checkpoint_duration_seconds \(Double(last.milliseconds) / 1000)\n"
            }
        }
        for (label, records) in progress.recordsPerStep {
            text += "sluice_step_records_total{step=\"\(label.replacingQuotes())\"} \(records)\n"
        }
        return text
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        String(map { $0 == "\"" || $0 == "\\" ? "_" : $0 })
    }
}
