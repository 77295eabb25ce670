extension Batch {
    /// A batch of at most `capacity` records that `fill` writes, each record and its time,
    /// through pointers into storage of that size, counting them in `written`.
    ///
    /// Appending record by record checks, through a call into the runtime, that each of the two
    /// arrays' storage is not shared: for the steps that make a batch from another (a projection,
    /// an exchange's parts, a window firing's staged results) that was most of their cost.
    ///
    /// `written` must count exactly the records initialised so far: if `fill` throws, those are
    /// freed and the error is rethrown.
    ///
    /// ```swift
    /// let evens = Batch<Int>(capacity: source.count) { records, times, written in
    ///     for i in 0..<source.count where source.records[i] % 2 == 0 {
    ///         (records + written).initialize(to: source.records[i])
    ///         times[written] = source.times[i]
    ///         written += 1
    ///     }
    /// }
    /// ```
    @inlinable
    public init(capacity: Int,
                writing fill: (_ records: UnsafeMutablePointer<Record>, _ times: UnsafeMutablePointer<EventTime>,
                               _ written: inout Int) throws -> Void) rethrows {
        guard capacity > 0 else {
            self.init()
            return
        }
        var madeTimes = ContiguousArray<EventTime>()
        let madeRecords = try ContiguousArray<Record>(unsafeUninitializedCapacity: capacity) { records, written in
            written = 0
            madeTimes = try ContiguousArray(unsafeUninitializedCapacity: capacity) { times, timesWritten in
                // Times need no freeing, so on a throw they may stay uncounted.
                timesWritten = 0
                try fill(records.baseAddress.unsafelyUnwrapped, times.baseAddress.unsafelyUnwrapped, &written)
                timesWritten = written
            }
        }
        self.init(records: madeRecords, times: madeTimes)
    }
}
