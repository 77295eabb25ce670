/// Event time in milliseconds since the Unix epoch.
public typealias EventTime = Int64

extension EventTime {
    /// The time of a record that has no event time assigned (and the watermark before any input).
    public static let noTime: EventTime = .min
    /// The watermark that closes every window: emitted at the end of a bounded input.
    public static let endOfTime: EventTime = .max
}

/// A run of records with their event times: the unit that crosses threads.
///
/// Records and times are kept in two parallel arrays so that operators that only look at one
/// of them touch contiguous memory, and so that moving a batch moves two buffers, not N records.
public struct Batch<Record>: @unchecked Sendable {
    public var records: ContiguousArray<Record>
    public var times: ContiguousArray<EventTime>

    @inlinable
    public init() {
        records = []
        times = []
    }

    @inlinable
    public init(capacity: Int) {
        records = []
        times = []
        reserveCapacity(capacity)
    }

    @inlinable
    public init(records: ContiguousArray<Record>, times: ContiguousArray<EventTime>) {
        precondition(records.count == times.count, "a batch needs one time per record")
        self.records = records
        self.times = times
    }

    // Read from `times`, which holds one entry per record: its type is concrete, so code that is
    // not specialised for `Record` (the runtime's gates and outputs) reads it without looking up
    // the metadata of `ContiguousArray<Record>`, a cache search of some 400 instructions per call.
    @inlinable public var count: Int { times.count }

    /// Makes room for `capacity` records in all, so that appending up to that many does not
    /// reallocate.
    @inlinable
    public mutating func reserveCapacity(_ capacity: Int) {
        records.reserveCapacity(capacity)
        times.reserveCapacity(capacity)
    }
    /// Makes room for `additional` more records, at least doubling the storage when it must
    /// grow, so that appending part after part reallocates only a few times.
    @inlinable
    public mutating func reserveCapacity(forAdditional additional: Int) {
        let needed = records.count + additional
        if needed > records.capacity { reserveCapacity(Swift.max(needed, 2 * records.capacity)) }
    }

    @inlinable public var isEmpty: Bool { times.isEmpty }

    /// Appends a record with its time. The record is taken, so one made for the batch (a
    /// decoded line, an operator's result) is moved in rather than copied and released.
    @inlinable
    public mutating func append(_ record: consuming Record, time: EventTime) {
        records.append(record)
        times.append(time)
    }

    /// Appends `other`'s records with their times. An empty batch takes `other`'s storage as it
    /// is, so records drained into a new batch (`drain`) or held for an exchange are not copied;
    /// a batch with records grows by `reserveCapacity(forAdditional:)`. Appending an empty batch
    /// changes nothing (the storage this batch holds for reuse stays).
    @inlinable
    public mutating func append(contentsOf other: consuming Batch) {
        guard !other.isEmpty else { return }
        guard !records.isEmpty else {
            self = other
            return
        }
        reserveCapacity(forAdditional: other.count)
        records.append(contentsOf: other.records)
        times.append(contentsOf: other.times)
    }

    /// Empties the batch but keeps its storage for reuse.
    @inlinable
    public mutating func removeAll() {
        records.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
    }
}
