import SluiceCore
import SluiceRuntime

/// Live counters of a running pipeline, read by the progress line and metrics.
public final class RunProgress: @unchecked Sendable {
    private let sources: [Counter]
    private let sinks: [Counter]
    private let gates: [any GateMetrics]
    private let bad: Counter
    private let steps: [(label: String, counter: Counter)]
    private let late: Counter
    private let checkpointing: CheckpointCoordinator?
    private let alignmentGroups: [WatermarkAlignmentGroup]

    init(builder: ExecutionBuilder) {
        sources = builder.sourceCounters
        sinks = builder.sinkCounters
        gates = builder.gates
        bad = builder.badRecords.count
        steps = builder.counters
        late = builder.lateRecords
        checkpointing = builder.checkpointing
        alignmentGroups = Array(builder.alignmentGroups.values)
    }

    /// The newest completed checkpoint and how long it took, if checkpoints are on.
    public var lastCheckpoint: (id: Int64, milliseconds: Int64)? { checkpointing?.lastCompleted }
    /// Checkpoints completed and failed in this run.
    public var checkpointCounts: (completed: Int, failed: Int)? {
        checkpointing.map { ($0.completed.value, $0.failed.value) }
    }

    /// Records too late for their windows or joins that no late-data output took.
    public var droppedLateRecords: Int { late.value }

    /// Records each step has emitted, by step label, in plan order.
    public var recordsPerStep: [(label: String, records: Int)] {
        steps.map { ($0.label, $0.counter.value) }
    }

    /// Records read by all sources.
    public var recordsIn: Int { sources.reduce(0) { $0 + $1.value } }
    /// Records written by all sinks.
    public var recordsOut: Int { sinks.reduce(0) { $0 + $1.value } }
    /// Bad records seen.
    public var badRecords: Int { bad.value }
    /// Total nanoseconds source instances spent held back by watermark alignment.
    public var alignmentWaitNanos: Int { alignmentGroups.reduce(0) { $0 + $1.waitedNanos.value } }
    /// Times source instances were held back by watermark alignment.
    public var alignmentPauses: Int { alignmentGroups.reduce(0) { $0 + $1.pauses } }
    /// Total nanoseconds producers spent waiting on full channels.
    public var blockedNanos: Int { gates.reduce(0) { $0 + $1.blockedNanos.value } }
}

/// Calls a function with the run's progress every 100 ms on its own thread, until stopped.
final class ProgressWatcher: @unchecked Sendable {
    private let lock = ConditionLock()
    private var stopped = false
    private var thread: InstanceThread?

    init(progress: RunProgress, every report: @escaping (RunProgress) -> Void) {
        thread = InstanceThread.start(name: "progress") { [self] in
            // The first report at once: a metrics endpoint has the run's counters from the start.
            lock.lock()
            while !stopped {
                lock.unlock()
                report(progress)
                lock.lock()
                if stopped { break }
                lock.wait(nanoseconds: 100_000_000)
            }
            lock.unlock()
        }
    }

    func stop() {
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
        thread?.join()
    }
}
