extension Batch {
    /// The non-nil results of `transform` over the records, in order, each with its record's time.
    ///
    /// Both arrays are written through pointers into storage of the batch's size. Appending
    /// result by result would check twice per record, through a call into the runtime, that the
    /// storage is not shared: for a step that keeps most records (a projection, the results of a
    /// window firing) that was most of its cost.
    ///
    /// If `transform` throws, the results made so far are freed and the error is rethrown.
    @inlinable
    public func compactMapped<Output>(_ transform: (Record) throws -> Output?) rethrows -> Batch<Output> {
        let count = self.count
        guard count > 0 else { return Batch<Output>() }
        var results = ContiguousArray<Output>()
        let keptTimes = try times.withUnsafeBufferPointer { times in
            try ContiguousArray<EventTime>(unsafeUninitializedCapacity: count) { keptTimes, timeCount in
                timeCount = 0
                // Records are read from the array, not through a pointer: its subscript lends
                // each to `transform`, where a pointer's copied it (retaining its strings).
                results = try ContiguousArray<Output>(unsafeUninitializedCapacity: count) { kept, keptCount in
                    keptCount = 0
                    let keptBase = kept.baseAddress.unsafelyUnwrapped
                    let timeBase = keptTimes.baseAddress.unsafelyUnwrapped
                    for i in 0..<count {
                        guard let result = try transform(records[i]) else { continue }
                        (keptBase + keptCount).initialize(to: result)
                        timeBase[keptCount] = times[i]
                        keptCount &+= 1
                    }
                }
                // Times need no freeing, so a throw above may leave them uncounted.
                timeCount = results.count
            }
        }
        return Batch<Output>(records: results, times: keptTimes)
    }
}
