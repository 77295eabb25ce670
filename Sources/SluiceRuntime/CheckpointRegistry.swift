import Synchronization
import SluiceCore

/// Finds the collector of a checkpoint by its id: barriers cross exchanges as plain ids.
public final class CheckpointRegistry: Sendable {
    private let collectors = Mutex<[Int64: any CheckpointCollector]>([:])

    public init() {}

    public func register(_ collector: any CheckpointCollector) {
        collectors.withLock { $0[collector.checkpointID] = collector }
    }

    public func remove(_ id: Int64) {
        _ = collectors.withLock { $0.removeValue(forKey: id) }
    }

    /// The collector of checkpoint `id`, or one that ignores everything if it was abandoned.
    public func collector(_ id: Int64) -> any CheckpointCollector {
        collectors.withLock { $0[id] } ?? AbandonedCheckpoint(checkpointID: id)
    }
}

/// Stands in for a checkpoint that already failed: its barrier still flows, nothing is kept.
final class AbandonedCheckpoint: CheckpointCollector {
    let checkpointID: Int64
    init(checkpointID: Int64) { self.checkpointID = checkpointID }
    func addState(operatorID: String, instance: Int, keyGroups: Range<Int>, snapshot: StateSnapshot) {}
    func addSourcePosition(source: String, instance: Int, segments: [FileSegment]) {}
    func addSourceOffset(source: String, instance: Int, next: Int64) {}
    func addSinkState(sink: String, instance: Int, path: String, committedBytes: Int64) {}
    func chainDone(chain: Int) {}
    func fail(_ reason: String) {}
}
