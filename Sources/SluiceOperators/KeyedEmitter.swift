import SluiceCore

/// What a keyed process function sees besides its state and record: the record's key and
/// event time, and a way to emit results (stamped with that time).
public struct KeyedEmitter<Key, Output> {
    /// The key of the record being processed.
    public var key: Key
    /// The event time of the record being processed.
    public var time: EventTime
    @usableFromInline var output: Batch<Output>

    @inlinable
    init(key: Key, output: Batch<Output>) {
        self.key = key
        self.time = .noTime
        self.output = output
    }

    /// Emits `record` downstream with the current record's event time.
    @inlinable
    public mutating func emit(_ record: Output) {
        output.append(record, time: time)
    }
}
