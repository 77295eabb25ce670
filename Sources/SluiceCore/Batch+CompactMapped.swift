extension Batch {
    /// The non-nil results of `transform` over the records, in order, each with its record's time,
    /// written in place (`init(capacity:writing:)`).
    ///
    /// If `transform` throws, the results made so far are freed and the error is rethrown.
    @inlinable
    public func compactMapped<Output>(_ transform: (Record) throws -> Output?) rethrows -> Batch<Output> {
        let count = self.count
        return try times.withUnsafeBufferPointer { times in
            try Batch<Output>(capacity: count) { results, resultTimes, written in
                // Records are read from the array, not through a pointer: its subscript lends
                // each to `transform`, where a pointer's copied it (retaining its strings).
                for i in 0..<count {
                    guard let result = try transform(records[i]) else { continue }
                    (results + written).initialize(to: result)
                    resultTimes[written] = times[i]
                    written &+= 1
                }
            }
        }
    }
}
