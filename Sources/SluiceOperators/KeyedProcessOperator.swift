import SluiceCore
import SluiceState

/// The general keyed operator: one `State` value per key, updated by a user function that
/// may emit any number of results per record.
///
/// Every keyed operator (reduce, aggregate, and the windows and joins built later) keeps
/// its state per key the same way, so that it can be split by key group.
public struct KeyedProcessOperator<Key: PartitionKey, Input, State, Output>: BatchOperator {
    public typealias Function = (inout State, Input, inout KeyedEmitter<Key, Output>) throws -> Void

    public let key: (Input) -> Key
    public let initialState: () -> State
    public let function: Function
    /// The state of every key this instance has seen.
    public var states: KeyedStateTable<Key, State> { table }
    @usableFromInline var table = KeyedStateTable<Key, State>()

    @inlinable
    public init(key: @escaping (Input) -> Key, initialState: @escaping () -> State, function: @escaping Function) {
        self.key = key
        self.initialState = initialState
        self.function = function
    }

    /// The state of a checkpoint: a copy-on-write copy of the table, serialised when called.
    @inlinable
    public func snapshot() -> StateSnapshot {
        let table = table
        return StateSnapshot { try table.serialized() }
    }

    /// Restores the entries of saved tables whose key groups this instance owns.
    @inlinable
    public mutating func restore(_ saved: RestoredState) throws {
        for blob in saved.blobs { try table.restore(from: blob, keeping: saved.keyGroups, map: saved.keyGroupMap) }
    }

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        guard !batch.isEmpty else { return }
        var emitter = KeyedEmitter<Key, Output>(key: key(batch.records[0]), output: output)
        output = Batch()
        defer { output = emitter.output }
        for i in 0..<batch.count {
            let record = batch.records[i]
            let recordKey = key(record)
            emitter.key = recordKey
            emitter.time = batch.times[i]
            try table.update(recordKey, default: initialState) { state in try function(&state, record, &emitter) }
        }
    }
}
