/// A run of records and their times written through pointers, for an operator that emits many
/// records in one call (a window that every key shares firing), moved into a `Batch` when full.
///
/// Appending to a `Batch` appends to two arrays, and each array append calls into the runtime to
/// check that the storage is not shared: more than the rest of a window result's cost. Here an
/// append is two stores, and a full run is moved into a batch in one pass per array.
///
/// The owner frees the storage with `deallocate()` exactly once (it is a plain struct, so that the
/// per-record path has no reference counting or exclusivity checks):
///
/// ```swift
/// var staged = StagedBatch<Int>(capacity: 4_096)
/// defer { staged.deallocate() }
/// staged.append(42, time: 1_000)
/// if staged.isFull { try send(staged.take { $0 }) }
/// ```
public struct StagedBatch<Record> {
    @usableFromInline var records: UnsafeMutablePointer<Record>?
    @usableFromInline var times: UnsafeMutablePointer<EventTime>?
    /// How many records fit before the run must be taken.
    public let capacity: Int
    @usableFromInline var storedCount = 0
    /// How many records the run holds.
    @inlinable public var count: Int { storedCount }

    /// A run of up to `capacity` records; a capacity of zero allocates nothing and is always full.
    @inlinable
    public init(capacity: Int) {
        precondition(capacity >= 0, "a staged batch needs a capacity of at least zero")
        self.capacity = capacity
        records = capacity > 0 ? .allocate(capacity: capacity) : nil
        times = capacity > 0 ? .allocate(capacity: capacity) : nil
    }

    /// Whether the run holds `capacity` records (and must be taken before the next append).
    @inlinable public var isFull: Bool { storedCount == capacity }

    /// Whether the run holds no records.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// Appends a record with its time. The run must not be full.
    @inlinable @inline(__always)
    public mutating func append(_ record: consuming Record, time: EventTime) {
        precondition(count < capacity, "append to a full staged batch")
        (records.unsafelyUnwrapped + count).initialize(to: record)
        (times.unsafelyUnwrapped + count).initialize(to: time)
        storedCount &+= 1
    }

    /// Moves the run's records into a batch of their number, as `transform` makes them into the
    /// batch's records, with their times, and leaves the run empty. Each record is moved out of
    /// the run, never copied and destroyed.
    @inlinable
    public mutating func take<Output>(_ transform: (consuming Record) -> Output) -> Batch<Output> {
        let taken = count
        guard taken > 0 else { return Batch() }
        storedCount = 0
        let records = records.unsafelyUnwrapped, times = times.unsafelyUnwrapped
        return Batch(capacity: taken) { made, madeTimes, written in
            for i in 0..<taken { (made + i).initialize(to: transform((records + i).move())) }
            madeTimes.moveInitialize(from: times, count: taken)
            written = taken
        }
    }

    /// Frees the records still held and the storage. The run must not be used afterwards.
    @inlinable
    public mutating func deallocate() {
        records?.deinitialize(count: count)
        records?.deallocate()
        times?.deallocate()
        records = nil
        times = nil
        storedCount = 0
    }
}
