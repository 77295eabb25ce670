import SluiceCore

/// The rows of one side of one key in a join, ordered by event time.
///
/// Ordering by time lets a probe visit only the rows in the partner's interval (binary search,
/// not a scan: a hot key can hold many rows) and lets cleanup drop a prefix. Input is nearly in
/// time order, so an insert is almost always an append. Rows with equal times keep arrival order.
/// Dropped rows are skipped with `head` and compacted away once they are half the storage, so
/// cleanup is amortised O(1) per row and memory stays within twice the live rows.
@usableFromInline struct JoinTimeBuffer<Record> {
    /// A row and its time side by side: one array grows (and is moved) where two did.
    @usableFromInline typealias Row = (record: Record, time: EventTime)

    // Set in `init` rather than by initial values, which are not inlinable for a non-frozen type.
    @usableFromInline var rows: ContiguousArray<Row>
    /// Index of the first live row; rows before it were dropped but not yet compacted.
    @usableFromInline var head: Int

    @inlinable init() {
        rows = []
        head = 0
    }

    /// The number of live rows.
    var count: Int { rows.count - head }
    @inlinable var isEmpty: Bool { head == rows.count }
    /// The time of the earliest live row.
    @inlinable var earliest: EventTime? { isEmpty ? nil : rows[head].time }

    /// Adds a row after every row with a time at or before `time`.
    @inlinable mutating func insert(_ record: Record, time: EventTime) {
        if let last = rows.last, head < rows.count, last.time > time {
            Self.insert((record, time), at: firstIndex(after: time), into: &rows)
        } else {
            rows.append((record, time))
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
        while index < rows.count, rows[index].time <= upper {
            try body(rows[index].record, rows[index].time)
            index += 1
        }
    }

    /// Calls `body` for every row, in time order.
    func forEach(_ body: (Record, EventTime) throws -> Void) rethrows {
        for index in head..<rows.count { try body(rows[index].record, rows[index].time) }
    }

    /// Drops every row with a time before `cutoff`; returns how many were dropped.
    @discardableResult
    @inlinable mutating func removeAll(before cutoff: EventTime) -> Int {
        let end = firstIndex(atOrAfter: cutoff)
        let removed = end - head
        guard removed > 0 else { return 0 }
        head = end
        if head == rows.count {
            rows.removeAll()
            head = 0
        } else if head * 2 >= rows.count {
            rows.removeSubrange(0..<head)
            head = 0
        }
        return removed
    }

    /// The first live index whose time is at least `time` (binary search).
    @inlinable func firstIndex(atOrAfter time: EventTime) -> Int {
        var low = head, high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].time < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first live index whose time is after `time` (binary search).
    @inlinable func firstIndex(after time: EventTime) -> Int {
        var low = head, high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
