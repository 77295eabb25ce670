import Synchronization
import SluiceCore
import SluiceRuntime

/// Starts a checkpoint every interval, collects what every instance contributes when the
/// barrier passes it, and, once every chain has handled the barrier, writes the snapshots and
/// commits the manifest on a thread of its own (design.md §5: asynchronous barrier snapshots).
///
/// A failed write fails that checkpoint only: it is logged and counted, and the pipeline goes on;
/// a resume uses the last checkpoint that did complete.
final class CheckpointCoordinator: SourceCheckpointing, @unchecked Sendable {
    let injector = BarrierInjector(registry: CheckpointRegistry())
    let storage: CheckpointStorage
    let intervalNanos: Int64
    /// Checkpoints that completed, failed, and the duration of the last completed one.
    let completed = Counter()
    let failed = Counter()
    private let state = Mutex(CoordinatorState())
    private let lock = ConditionLock()
    private var stopped = false
    private var timer: InstanceThread?
    private var writer: InstanceThread?
    private var writeQueue: [PendingCheckpoint] = []
    private var writing = false

    struct CoordinatorState {
        var nextID: Int64 = 1
        var liveChains: Set<Int> = []
        var pending: [Int64: PendingCheckpoint] = [:]
        var finishedSources: [String: Set<Int>] = [:]
        var finishedSinks: [String: [Int: (path: String, bytes: Int64)]] = [:]
        var lastCompletedID: Int64?
        var lastDurationNanos: Int64 = 0
    }

    init(storage: CheckpointStorage, intervalNanos: Int64, firstID: Int64) {
        self.storage = storage
        self.intervalNanos = intervalNanos
        state.withLock { $0.nextID = firstID }
    }

    /// The id and duration of the newest completed checkpoint, for the progress line.
    var lastCompleted: (id: Int64, milliseconds: Int64)? {
        state.withLock { state in state.lastCompletedID.map { ($0, state.lastDurationNanos / 1_000_000) } }
    }

    /// Starts the periodic trigger; `chains` are the running threads that must acknowledge.
    func start(chains: Int) {
        state.withLock { $0.liveChains = Set(0..<chains) }
        timer = InstanceThread.start(name: "checkpoint-timer") { [self] in
            lock.lock()
            var due = monotonicNanos() + intervalNanos
            while !stopped {
                // The lock's condition also wakes the writer: wait out the whole interval.
                let remaining = due - monotonicNanos()
                if remaining > 0 {
                    lock.wait(nanoseconds: remaining)
                    continue
                }
                due = monotonicNanos() + intervalNanos
                lock.unlock()
                trigger()
                lock.lock()
            }
            lock.unlock()
        }
        writer = InstanceThread.start(name: "checkpoint-writer") { [self] in writeLoop() }
    }

    /// Starts checkpoint `n+1` now: sources inject its barrier at their next chance. One
    /// checkpoint at a time is in the data flow, which keeps alignment short under backpressure.
    func trigger() {
        begin(evenIfOneIsPending: false)
    }

    /// A final checkpoint before a stop: started even if one is in flight (it then follows it).
    func triggerFinal() {
        begin(evenIfOneIsPending: true)
    }

    private func begin(evenIfOneIsPending: Bool) {
        let checkpoint = state.withLock { state -> PendingCheckpoint? in
            guard evenIfOneIsPending || state.pending.isEmpty, !state.liveChains.isEmpty else { return nil }
            let checkpoint = PendingCheckpoint(id: state.nextID, waitingFor: state.liveChains, coordinator: self)
            state.nextID += 1
            state.pending[checkpoint.checkpointID] = checkpoint
            return checkpoint
        }
        guard let checkpoint else { return }
        injector.registry.register(checkpoint)
        injector.trigger(checkpoint.checkpointID)
    }

    func sourceFinished(source: String, instance: Int) {
        state.withLock { $0.finishedSources[source, default: []].insert(instance) }
    }

    func sinkFinished(sink: String, instance: Int, path: String, bytes: Int64) {
        state.withLock { $0.finishedSinks[sink, default: [:]][instance] = (path, bytes) }
    }

    /// A chain's thread ended: checkpoints no longer wait for it.
    func chainFinished(_ chain: Int) {
        let ready = state.withLock { state -> [PendingCheckpoint] in
            state.liveChains.remove(chain)
            return state.pending.values.filter { $0.chainEnded(chain) }
        }
        for checkpoint in ready { enqueue(checkpoint) }
    }

    /// Called by a pending checkpoint when its last chain acknowledged.
    func aligned(_ checkpoint: PendingCheckpoint) {
        enqueue(checkpoint)
    }

    private func enqueue(_ checkpoint: PendingCheckpoint) {
        lock.withLock {
            writeQueue.append(checkpoint)
            lock.broadcast()
        }
    }

    /// Stops the timer and waits until every checkpoint already aligned has been written.
    func stop() {
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
        timer?.join()
        writer?.join()
    }

    private func writeLoop() {
        while true {
            lock.lock()
            while writeQueue.isEmpty && !stopped { lock.wait() }
            if writeQueue.isEmpty && stopped {
                lock.unlock()
                return
            }
            let checkpoint = writeQueue.removeFirst()
            lock.unlock()
            write(checkpoint)
        }
    }

    private func write(_ checkpoint: PendingCheckpoint) {
        let id = checkpoint.checkpointID
        injector.registry.remove(id)
        let (finishedSources, finishedSinks) = state.withLock { state in
            state.pending.removeValue(forKey: id)
            return (state.finishedSources, state.finishedSinks)
        }
        let contents = checkpoint.contents(finishedSources: finishedSources, finishedSinks: finishedSinks)
        if let reason = contents.failure {
            failed.add(1)
            Diagnostics.warning("checkpoint \(id) failed: \(reason); the last complete checkpoint stays in use")
            return
        }
        do {
            try storage.write(contents)
            completed.add(1)
            let duration = monotonicNanos() - checkpoint.startedNanos
            state.withLock { state in
                state.lastCompletedID = id
                state.lastDurationNanos = duration
            }
        } catch {
            failed.add(1)
            Diagnostics.warning("checkpoint \(id) failed: \(error); the last complete checkpoint stays in use")
        }
    }
}

/// Everything a checkpoint holds once its barrier has passed every chain.
struct CheckpointContents {
    var id: Int64
    var states: [(operatorID: String, instance: Int, keyGroups: Range<Int>, snapshot: StateSnapshot)]
    /// Per file source: every segment still to read (finished instances contribute none).
    var sourceSegments: [String: [FileSegment]]
    /// Per generated source: per instance, the next record number.
    var sourceOffsets: [String: [Int: Int64]]
    var sinks: [String: [Int: (path: String, bytes: Int64)]]
    var failure: String?
}

/// Where checkpoints are written; the implementation owns the on-disk format.
protocol CheckpointStorage: Sendable {
    func write(_ contents: CheckpointContents) throws
}

/// One checkpoint between its trigger and the moment every chain has handled its barrier.
final class PendingCheckpoint: CheckpointCollector, @unchecked Sendable {
    let checkpointID: Int64
    let startedNanos = monotonicNanos()
    private unowned let coordinator: CheckpointCoordinator
    private let lock: Mutex<Collected>

    struct Collected {
        var waitingFor: Set<Int>
        var done = false
        var states: [(operatorID: String, instance: Int, keyGroups: Range<Int>, snapshot: StateSnapshot)] = []
        var segments: [String: [Int: [FileSegment]]] = [:]
        var offsets: [String: [Int: Int64]] = [:]
        var sinks: [String: [Int: (path: String, bytes: Int64)]] = [:]
        var failure: String?
    }

    init(id: Int64, waitingFor chains: Set<Int>, coordinator: CheckpointCoordinator) {
        checkpointID = id
        self.coordinator = coordinator
        lock = Mutex(Collected(waitingFor: chains))
    }

    func addState(operatorID: String, instance: Int, keyGroups: Range<Int>, snapshot: StateSnapshot) {
        lock.withLock { $0.states.append((operatorID, instance, keyGroups, snapshot)) }
    }

    func addSourcePosition(source: String, instance: Int, segments: [FileSegment]) {
        lock.withLock { $0.segments[source, default: [:]][instance] = segments }
    }

    func addSourceOffset(source: String, instance: Int, next: Int64) {
        lock.withLock { $0.offsets[source, default: [:]][instance] = next }
    }

    func addSinkState(sink: String, instance: Int, path: String, committedBytes: Int64) {
        lock.withLock { $0.sinks[sink, default: [:]][instance] = (path, committedBytes) }
    }

    func fail(_ reason: String) {
        lock.withLock { if $0.failure == nil { $0.failure = reason } }
    }

    func chainDone(chain: Int) {
        if lock.withLock({ collected in Self.acknowledge(chain, &collected) }) { coordinator.aligned(self) }
    }

    /// Called by the coordinator when `chain` ended; true if that completed the alignment.
    func chainEnded(_ chain: Int) -> Bool {
        lock.withLock { collected in Self.acknowledge(chain, &collected) }
    }

    private static func acknowledge(_ chain: Int, _ collected: inout Collected) -> Bool {
        guard !collected.done, collected.waitingFor.remove(chain) != nil, collected.waitingFor.isEmpty else { return false }
        collected.done = true
        return true
    }

    func contents(finishedSources: [String: Set<Int>], finishedSinks: [String: [Int: (path: String, bytes: Int64)]]) -> CheckpointContents {
        lock.withLock { collected in
            var sourceSegments: [String: [FileSegment]] = [:]
            for (source, perInstance) in collected.segments {
                sourceSegments[source] = perInstance.keys.sorted().flatMap { perInstance[$0]! }
            }
            for source in finishedSources.keys where sourceSegments[source] == nil && collected.offsets[source] == nil {
                sourceSegments[source] = []
            }
            // A generated source's instances that had finished inject no barrier, so they give
            // no offset: recorded as finished, they keep the source's parallelism in the manifest
            // (without them, a last instance that finished first made it look smaller).
            var offsets = collected.offsets
            for (source, instances) in finishedSources where offsets[source] != nil {
                for instance in instances where offsets[source]?[instance] == nil {
                    offsets[source]?[instance] = .max
                }
            }
            var sinks = collected.sinks
            for (sink, perInstance) in finishedSinks {
                for (instance, state) in perInstance where sinks[sink]?[instance] == nil {
                    sinks[sink, default: [:]][instance] = state
                }
            }
            return CheckpointContents(id: checkpointID, states: collected.states, sourceSegments: sourceSegments,
                                      sourceOffsets: offsets, sinks: sinks, failure: collected.failure)
        }
    }
}
