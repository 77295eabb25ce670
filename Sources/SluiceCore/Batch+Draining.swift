extension Batch {
    /// Empties the batch into a new one: each record is moved out, last first, and handed to
    /// `transform`, and the results that are not nil keep their records' order and times.
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
    public mutating func drain<Output>(_ transform: (consuming Record) throws -> Output?) rethrows -> Batch<Output> {
        var taken = ContiguousArray<Record>(), takenTimes = ContiguousArray<EventTime>()
        swap(&taken, &records)
        swap(&takenTimes, &times)
        let count = taken.count
        guard count > 0 else { return Batch<Output>() }
        var keptTimes = ContiguousArray<EventTime>()
        let kept = try ContiguousArray<Output>(unsafeUninitializedCapacity: count) { results, initialized in
            initialized = 0
            let resultBase = results.baseAddress!
            keptTimes = try ContiguousArray(unsafeUninitializedCapacity: count) { resultTimes, timesInitialized in
                timesInitialized = 0
                let timeBase = resultTimes.baseAddress!
                // Results fill the buffer from the back as records come off the end; `next` is
                // the first one filled.
                var next = count
                do {
                    var index = count
                    while let record = taken.popLast() {
                        index &-= 1
                        guard let result = try transform(consume record) else { continue }
                        next &-= 1
                        (resultBase + next).initialize(to: result)
                        timeBase[next] = takenTimes[index]
                    }
                } catch {
                    (resultBase + next).deinitialize(count: count &- next)
                    throw error
                }
                let keptCount = count &- next
                if next > 0 && keptCount > 0 {
                    // Overlapping moves to the front are allowed: they go in address order.
                    resultBase.moveInitialize(from: resultBase + next, count: keptCount)
                    timeBase.moveInitialize(from: timeBase + next, count: keptCount)
                }
                timesInitialized = keptCount
            }
            initialized = keptTimes.count
        }
        return Batch<Output>(records: kept, times: keptTimes)
    }
}
