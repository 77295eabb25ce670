import SluiceCore

/// A min-heap of (due time, key): which keys a watermark makes due, without scanning every key.
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
        var child = times.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard times[child] < times[parent] else { break }
            times.swapAt(child, parent)
            keys.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `watermark` (its time is at or
    /// before it).
    @inlinable mutating func popDue(at watermark: EventTime) -> (time: EventTime, key: Key)? {
        guard let first = times.first, first <= watermark else { return nil }
        let key = keys[0]
        let lastTime = times.removeLast()
        let lastKey = keys.removeLast()
        if !times.isEmpty {
            times[0] = lastTime
            keys[0] = lastKey
            siftDown()
        }
        return (first, key)
    }

    mutating func removeAll() {
        times.removeAll()
        keys.removeAll()
    }

    @inlinable mutating func siftDown() {
        var parent = 0
        let count = times.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            let right = left + 1
            let child = right < count && times[right] < times[left] ? right : left
            guard times[child] < times[parent] else { return }
            times.swapAt(child, parent)
            keys.swapAt(child, parent)
            parent = child
        }
    }
}
