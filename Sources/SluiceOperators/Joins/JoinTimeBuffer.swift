import SluiceCore

/// The rows of one side of one key in a join, ordered by event time.
///
/// Ordering by time lets a probe visit only the rows in the partner's interval (binary search,
/// not a scan: a hot key can hold many rows) and lets cleanup drop a prefix. Input is nearly in
/// time order, so an insert is almost always an append. Rows with equal times keep arrival order.
/// Dropped rows are skipped with `head` and compacted away once they are half the storage, so
/// cleanup is amortised O(1) per row and memory stays within twice the live rows.
@usableFromInline struct JoinTimeBuffer<Record> {
    // Set in `init` rather than by initial values, which are not inlinable for a non-frozen type.
    @usableFromInline var records: ContiguousArray<Record>
    @usableFromInline var times: ContiguousArray<EventTime>
    /// Index of the first live row; rows before it were dropped but not yet compacted.
    @usableFromInline var head: Int

    @inlinable init() {
        records = []
        times = []
        head = 0
    }

    /// The number of live rows.
    var count: Int { times.count - head }
    @inlinable var isEmpty: Bool { head == times.count }
    /// The time of the earliest live row.
    @inlinable var earliest: EventTime? { isEmpty ? nil : times[head] }

    /// Adds a row after every row with a time at or before `time`.
    @inlinable mutating func insert(_ record: Record, time: EventTime) {
        if let last = times.last, head < times.count, last > time {
            let index = firstIndex(after: time)
            Self.insert(record, at: index, into: &records)
            Self.insert(time, at: index, into: &times)
        } else {
            records.append(record)
            times.append(time)
        }
    }

    /// `array.insert(element, at: index)` as an append and one move of the rows after `index`:
    /// `insert(_:at:)` goes through the generic range replacement, whose overhead was most of q4's
    /// cost when the rows of two source instances interleave.
    @inlinable static func insert<Element>(_ element: Element, at index: Int, into array: inout ContiguousArray<Element>) {
        array.append(element)
        array.withUnsafeMutableBufferPointer { buffer in
            let last = buffer.count - 1
            guard index < last, let base = buffer.baseAddress else { return }
            let inserted = (base + last).move()
            // Overlapping ranges are allowed: this is a memmove.
            (base + index + 1).moveInitialize(from: base + index, count: last - index)
            (base + index).initialize(to: inserted)
        }
    }

    /// Calls `body` for every row with a time in `lower...upper`, in time order.
    @inlinable
    func forEach(from lower: EventTime, through upper: EventTime,
                 _ body: (Record, EventTime) throws -> Void) rethrows {
        guard lower <= upper else { return }
        var index = firstIndex(atOrAfter: lower)
        while index < times.count, times[index] <= upper {
            try body(records[index], times[index])
            index += 1
        }
    }

    /// Calls `body` for every row, in time order.
    func forEach(_ body: (Record, EventTime) throws -> Void) rethrows {
        for index in head..<times.count { try body(records[index], times[index]) }
    }

    /// Drops every row with a time before `cutoff`; returns how many were dropped.
    @discardableResult
    @inlinable mutating func removeAll(before cutoff: EventTime) -> Int {
        let end = firstIndex(atOrAfter: cutoff)
        let removed = end - head
        guard removed > 0 else { return 0 }
        head = end
        if head == times.count {
            records.removeAll()
            times.removeAll()
            head = 0
        } else if head * 2 >= times.count {
            records.removeSubrange(0..<head)
            times.removeSubrange(0..<head)
            head = 0
        }
        return removed
    }

    /// The first live index whose time is at least `time` (binary search).
    @inlinable func firstIndex(atOrAfter time: EventTime) -> Int {
        var low = head, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first live index whose time is after `time` (binary search).
    @inlinable func firstIndex(after time: EventTime) -> Int {
        var low = head, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
