import SluiceCore

/// The rows of one side of one key in a join, ordered by event time.
///
/// Ordering by time lets a probe visit only the rows in the partner's interval (binary search,
/// not a scan: a hot key can hold many rows) and lets cleanup drop a prefix. Input is nearly in
/// time order, so a row usually goes at the end. One that does not waits in an unsorted tail,
/// in arrival order, until a probe or a cleanup needs it in place; then the tail is sorted into
/// the rest at once. Inserting each such row in place moved every later row, once per row: with
/// two source instances, whose batches interleave in time, that memmove was a third of the extra
/// cost of q4 at parallelism 2. Rows with equal times keep arrival order.
/// Dropped rows are skipped with `head` and compacted away once they are half the storage, so
/// cleanup is amortised O(1) per row and memory stays within twice the live rows.
@usableFromInline struct JoinTimeBuffer<Record> {
    /// A row and its time side by side: one array grows (and is moved) where two did.
    @usableFromInline typealias Row = (record: Record, time: EventTime)

    // Set in `init` rather than by initial values, which are not inlinable for a non-frozen type.
    @usableFromInline var rows: ContiguousArray<Row>
    // Both indices in 32 bits: each key's buffers sit in the join's key table, whose slots they
    // widen, and the tail's index grew them by half (3 MB more peak RSS for q4).
    @usableFromInline var storedHead: Int32
    @usableFromInline var storedSortedEnd: Int32

    @inlinable init() {
        rows = []
        storedHead = 0
        storedSortedEnd = 0
    }

    /// Index of the first live row; rows before it were dropped but not yet compacted.
    @inlinable var head: Int {
        get { Int(storedHead) }
        set { storedHead = Int32(truncatingIfNeeded: newValue) }
    }

    /// Rows `head..<sortedEnd` are in time order; the rows after them (the tail) arrived out of
    /// order, and wait for `settle()`.
    @inlinable var sortedEnd: Int {
        get { Int(storedSortedEnd) }
        set { storedSortedEnd = Int32(truncatingIfNeeded: newValue) }
    }

    /// The earliest time in the tail (`.max` without one): found by a pass, as tails are short
    /// and asked for once per cleanup of the key.
    @inlinable var tailEarliest: EventTime {
        var earliest = EventTime.max
        for index in sortedEnd..<rows.count { earliest = Swift.min(earliest, rows[index].time) }
        return earliest
    }

    /// The number of live rows.
    @inlinable var count: Int { rows.count - head }
    @inlinable var isEmpty: Bool { head == rows.count }
    /// Whether every live row is in time order (no tail waits).
    @inlinable var isSettled: Bool { sortedEnd == rows.count }
    /// The time of the earliest live row.
    @inlinable var earliest: EventTime? {
        if isEmpty { return nil }
        if isSettled { return rows[head].time }
        return head < sortedEnd ? Swift.min(rows[head].time, tailEarliest) : tailEarliest
    }

    /// Adds a row after every row with a time at or before `time`: at the end, or in the tail.
    @inlinable mutating func insert(_ record: Record, time: EventTime) {
        precondition(rows.count < Int(Int32.max), "a key's side of a join holds fewer than 2^31 rows")
        let inOrder = isSettled && (head == sortedEnd || rows[sortedEnd - 1].time <= time)
        rows.append((record, time))
        if inOrder { sortedEnd = rows.count }
    }

    /// Sorts the tail, if there is one, into the ordered rows.
    @inlinable mutating func settle() {
        if !isSettled { sortTail() }
    }

    /// A stable sort (equal times keep arrival order) of the tail and of the ordered rows after
    /// its earliest time: the sort finds the runs and merges them.
    @inlinable @inline(never) mutating func sortTail() {
        let from = firstIndex(after: tailEarliest)
        rows[from...].sort { $0.time < $1.time }
        sortedEnd = rows.count
    }

    /// Calls `body` for every row with a time in `lower...upper`, in time order. A reader that
    /// cannot mutate gets a sorted copy if a tail waits: callers that can `settle()` first.
    @inlinable
    func forEach(from lower: EventTime, through upper: EventTime,
                 _ body: (Record, EventTime) throws -> Void) rethrows {
        guard lower <= upper else { return }
        guard isSettled else { return try forEachOfSortedCopy(from: lower, through: upper, body) }
        var index = firstIndex(atOrAfter: lower)
        while index < rows.count, rows[index].time <= upper {
            try body(rows[index].record, rows[index].time)
            index += 1
        }
    }

    @inlinable @inline(never)
    func forEachOfSortedCopy(from lower: EventTime, through upper: EventTime,
                             _ body: (Record, EventTime) throws -> Void) rethrows {
        try settledCopy.forEach(from: lower, through: upper, body)
    }

    /// This buffer with its tail sorted in, for readers that cannot mutate it.
    @inlinable var settledCopy: Self {
        var copy = self
        copy.settle()
        return copy
    }

    /// Calls `body` for every row, in time order.
    func forEach(_ body: (Record, EventTime) throws -> Void) rethrows {
        let buffer = settledCopy
        for index in buffer.head..<buffer.rows.count { try body(buffer.rows[index].record, buffer.rows[index].time) }
    }

    /// Drops every row; returns how many there were.
    @inlinable mutating func removeAll() -> Int {
        let removed = count
        if removed > 0 { self = JoinTimeBuffer() }
        return removed
    }

    /// Drops every row with a time before `cutoff`; returns how many were dropped. The tail is
    /// sorted in first only if it holds such a row.
    @discardableResult
    @inlinable mutating func removeAll(before cutoff: EventTime) -> Int {
        if !isSettled, tailEarliest < cutoff { sortTail() }
        let end = firstIndex(atOrAfter: cutoff)
        let removed = end - head
        guard removed > 0 else { return 0 }
        head = end
        if head == rows.count {
            rows.removeAll()
            head = 0
            sortedEnd = 0
        } else if head * 2 >= rows.count {
            rows.removeSubrange(0..<head)
            sortedEnd -= head
            head = 0
        }
        return removed
    }

    /// The first index among the ordered live rows whose time is at least `time` (binary search).
    @inlinable func firstIndex(atOrAfter time: EventTime) -> Int {
        var low = head, high = sortedEnd
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].time < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The first index among the ordered live rows whose time is after `time` (binary search).
    @inlinable func firstIndex(after time: EventTime) -> Int {
        var low = head, high = sortedEnd
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].time <= time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
