import SluiceCore

/// Stands before a keyed step that takes its input as already partitioned by its key (no
/// exchange: the DSL's `reinterpretAsKeyed`). Every record's key group must be one that the
/// step's instance owns; a record that is not stops the pipeline, since its state would land
/// where no checkpoint or rescaling looks for it.
public final class KeyOwnershipCheck<Record>: BatchReceiver {
    /// Finds the first record of a batch whose key group lies outside `owned` (nil: none), and
    /// returns its index and key group.
    public typealias FindStranger = (Batch<Record>, KeyGroups, _ owned: Range<Int>) -> (index: Int, keyGroup: Int)?

    private let findStranger: FindStranger
    private let keyGroups: KeyGroups
    private let owned: Range<Int>
    private let step: String
    private let instance: Int
    private let downstream: any BatchReceiver<Record>

    public init(findStranger: @escaping FindStranger, keyGroups: KeyGroups, owned: Range<Int>, step: String, instance: Int,
                downstream: any BatchReceiver<Record>) {
        self.findStranger = findStranger
        self.keyGroups = keyGroups
        self.owned = owned
        self.step = step
        self.instance = instance
        self.downstream = downstream
    }

    /// The search by `hash` (a key's `stableHash`), compiled with the record type (inlinable).
    @inlinable
    public static func finder(_ hash: @escaping (Record) -> UInt64) -> FindStranger {
        { batch, keyGroups, owned in
            batch.records.withUnsafeBufferPointer { records in
                for i in records.indices {
                    let group = keyGroups.keyGroup(forHash: hash(records[i]))
                    if !owned.contains(group) { return (i, group) }
                }
                return nil
            }
        }
    }

    public func receive(_ batch: consuming Batch<Record>) throws {
        // An instance that owns every key group (parallelism 1) has no strangers to find.
        if owned.count < keyGroups.maxParallelism, let stranger = findStranger(batch, keyGroups, owned) {
            throw PipelineError("step \"\(step)\" takes its input as already keyed (reinterpretAsKeyed), but record "
                                + "\(batch.records[stranger.index]) of key group \(stranger.keyGroup) reached instance "
                                + "\(instance), which owns key groups \(owned.lowerBound)..<\(owned.upperBound): the input "
                                + "is not partitioned by this key")
        }
        try downstream.receive(consume batch)
    }

    public func receiveWatermark(_ watermark: EventTime) throws { try downstream.receiveWatermark(watermark) }
    public func receiveIdle(_ idle: Bool) throws { try downstream.receiveIdle(idle) }
    public func tick(_ now: Int64) throws { try downstream.tick(now) }
    public func inputDrained() throws { try downstream.inputDrained() }
    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws { try downstream.receiveBarrier(checkpoint) }
    public func finish() throws { try downstream.finish() }
}
