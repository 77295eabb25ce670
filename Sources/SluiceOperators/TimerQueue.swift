import SluiceCore

/// A min-heap of timers ordered by time, then by the order they were scheduled in.
///
/// Window, join and keyed process operators keep their pending timers here, so that a watermark
/// does work proportional to what it fires instead of scanning every key. A timer is never removed
/// when it is superseded or deleted: its owner knows which timers are live and skips stale ones
/// when they come out, which keeps rescheduling O(log n).
@usableFromInline struct TimerQueue<Payload> {
    @usableFromInline struct Timer {
        @usableFromInline var time: EventTime
        @usableFromInline var sequence: UInt64
        @usableFromInline var payload: Payload

        @inlinable init(time: EventTime, sequence: UInt64, payload: Payload) {
            self.time = time
            self.sequence = sequence
            self.payload = payload
        }
    }

    @usableFromInline var heap: ContiguousArray<Timer> = []
    /// The sequence number the next scheduled timer gets; never reused, so a stale timer cannot
    /// match state created after it.
    @usableFromInline var nextSequence: UInt64 = 1

    @inlinable init() {}

    @inlinable var count: Int { heap.count }
    @inlinable var isEmpty: Bool { heap.isEmpty }

    /// The earliest timer's time, if any.
    @inlinable var nextTime: EventTime? { heap.first?.time }

    /// Adds a timer and returns its sequence number.
    @discardableResult
    @inlinable mutating func schedule(_ payload: Payload, at time: EventTime) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        heap.append(Timer(time: time, sequence: sequence, payload: payload))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
        return sequence
    }

    /// Removes and returns the earliest timer if its time is at most `time`.
    @inlinable mutating func popTimer(dueAt time: EventTime) -> Timer? {
        guard let first = heap.first, first.time <= time else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            let right = left + 1
            let child = right < heap.count && Self.precedes(heap[right], heap[left]) ? right : left
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            parent = child
        }
        return first
    }

    @inlinable static func precedes(_ a: Timer, _ b: Timer) -> Bool {
        (a.time, a.sequence) < (b.time, b.sequence)
    }
}
