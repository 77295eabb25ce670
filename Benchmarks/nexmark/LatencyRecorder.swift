import Histogram
import NexmarkQueries
import Synchronization

/// Records, for each result row that leaves the sink, the wall-clock time since its latency
/// origin, in microseconds, in an HdrHistogram shared by the sink instances.
///
/// A row of a record (q0, q1) counts from its input's event time, which the pacer set to the
/// time the input entered, in whole ms: the figure is high by less than 1 ms. A window's row
/// counts from the moment the watermark passed the window's end: event times follow the wall
/// clock, so that is the end plus the allowed out-of-orderness.
final class LatencyRecorder: Sendable {
    private let histogram = Mutex(Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three))
    private let early = Atomic<Int>(0)
    private let watermarkDelayMicroseconds: Int64
    private let firstOrigin: Int64
    private let lastWindowEnd: Int64

    /// Rows whose origin is before `firstOrigin` (warm-up) are not recorded, nor windows that
    /// end after `lastWindowEnd` (they close only because the input ends).
    init(watermarkDelayMilliseconds: Int64, firstOrigin: Int64, lastWindowEnd: Int64) {
        watermarkDelayMicroseconds = watermarkDelayMilliseconds * 1_000
        self.firstOrigin = firstOrigin
        self.lastWindowEnd = lastWindowEnd
    }

    func record(origin: Int64, closesWindow: Bool) {
        guard origin >= firstOrigin, !closesWindow || origin <= lastWindowEnd else { return }
        let now = BenchmarkClock.wallMicroseconds()
        let latency = now - origin * 1_000 - (closesWindow ? watermarkDelayMicroseconds : 0)
        guard latency >= 0 else {
            // A window that closed before its watermark was due: the clocks disagree; counted.
            early.add(1, ordering: .relaxed)
            return
        }
        histogram.withLock { _ = $0.record(UInt64(latency)) }
    }

    /// The latencies recorded so far.
    var recorded: Histogram<UInt64> { histogram.withLock { $0 } }

    /// Rows that left before their origin plus the watermark delay.
    var earlyRows: Int { early.load(ordering: .relaxed) }
}
