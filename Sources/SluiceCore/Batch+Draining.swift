extension Batch {
    /// Empties the batch into a new one: each record is moved out, last first, and handed to
    /// `transform`; the results keep their records' order and times.
    ///
    /// Moving is what makes it worth having: a record that `transform` takes apart (a `map` that
    /// builds its result from the record's fields) is not copied, so for records holding strings
    /// or arrays no reference count goes up and down again per reference. Records move only out
    /// of storage that this batch alone holds (a batch that crossed a thread or was just made);
    /// shared storage is copied once first, every record of it.
    ///
    /// If `transform` throws, the results made so far and the records not yet handed over are
    /// freed, and the batch is left empty.
    @inlinable
    public mutating func drain<Output>(_ transform: (consuming Record) throws -> Output) rethrows -> Batch<Output> {
        var taken = ContiguousArray<Record>(), takenTimes = ContiguousArray<EventTime>()
        swap(&taken, &records)
        swap(&takenTimes, &times)
        let count = taken.count
        let results = try ContiguousArray<Output>(unsafeUninitializedCapacity: count) { buffer, initialized in
            initialized = 0
            guard count > 0 else { return }
            let base = buffer.baseAddress!
            // Results fill the buffer from the back as records come off the end, so they keep
            // their order without the records being reversed first; `next` is the first filled.
            var next = count
            do {
                while let record = taken.popLast() {
                    let result = try transform(consume record)
                    next &-= 1
                    (base + next).initialize(to: consume result)
                }
            } catch {
                (base + next).deinitialize(count: count &- next)
                throw error
            }
            initialized = count
        }
        return Batch<Output>(records: results, times: takenTimes)
    }
}
