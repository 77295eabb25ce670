import SluiceCore

/// A four-ary min-heap of (due time, key): which keys a watermark makes due, without scanning
/// every key.
///
/// The operators that use it allow stale entries (a key re-registered earlier, or already
/// removed) and check each popped entry against the key's state, because deleting from the
/// middle of a heap would need an index per key.
@usableFromInline struct JoinTimerQueue<Key> {
    // Set in `init` rather than by initial values, which are not inlinable for a non-frozen type.
    @usableFromInline var times: [EventTime]
    @usableFromInline var keys: [Key]

    @inlinable init() {
        times = []
        keys = []
    }

    var count: Int { times.count }
    var isEmpty: Bool { times.isEmpty }

    /// Registers `key` to be due once the watermark reaches `time`.
    @inlinable mutating func push(_ time: EventTime, _ key: Key) {
        times.append(time)
        keys.append(key)
        // Parents move down into the hole until the entry's place is found.
        var hole = times.count - 1
        while hole > 0 {
            let parent = (hole - 1) / Self.arity
            guard time < times[parent] else { break }
            times[hole] = times[parent]
            keys[hole] = keys[parent]
            hole = parent
        }
        times[hole] = time
        keys[hole] = key
    }

    /// Removes and returns the earliest entry if it is due at `watermark` (its time is at or
    /// before it).
    @inlinable mutating func popDue(at watermark: EventTime) -> (time: EventTime, key: Key)? {
        guard let first = times.first, first <= watermark else { return nil }
        let key = keys[0]
        let lastTime = times.removeLast()
        let lastKey = keys.removeLast()
        if !times.isEmpty { siftDown(lastTime, lastKey) }
        return (first, key)
    }

    mutating func removeAll() {
        times.removeAll()
        keys.removeAll()
    }

    /// Children per entry. Four rather than two halves the depth of a queue of many keys (q4
    /// holds one per live auction), and a parent's four children's times share a cache line.
    @inlinable static var arity: Int { 4 }

    /// Places `time` and `key` from the root down, the earliest child moving up into the hole
    /// at each level, until both are in order.
    @inlinable mutating func siftDown(_ time: EventTime, _ key: Key) {
        let count = times.count
        // Through pointers: a pop walks every level of a queue of tens of thousands of keys,
        // and checked subscripts were half its instructions.
        times.withUnsafeMutableBufferPointer { times in
            keys.withUnsafeMutableBufferPointer { keys in
                var hole = 0
                while true {
                    let first = Self.arity &* hole &+ 1
                    guard first < count else { break }
                    var child = first
                    var earliest = times[first]
                    var next = first &+ 1
                    let end = Swift.min(first &+ Self.arity, count)
                    while next < end {
                        let candidate = times[next]
                        if candidate < earliest {
                            child = next
                            earliest = candidate
                        }
                        next &+= 1
                    }
                    guard earliest < time else { break }
                    times[hole] = earliest
                    keys[hole] = keys[child]
                    hole = child
                }
                times[hole] = time
                keys[hole] = key
            }
        }
    }
}
