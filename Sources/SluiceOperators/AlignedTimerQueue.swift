import SluiceCore

/// Timers that fall on few distinct times, such as the window ends and pane cleanups of sliding
/// and tumbling windows, where every key of a window has a timer at the same time.
///
/// Same contract as `TimerQueue` (time order, then scheduling order; stale timers are skipped by
/// their owner), but timers of one time share a bucket: scheduling is an append, popping takes
/// the next timer of the bucket being drained, and only the distinct times are kept in a heap.
/// A window firing for 600,000 keys then pops them in O(1) each instead of sifting a 600,000-entry
/// heap 20 levels deep each time (half of Nexmark q5's firing work).
@usableFromInline struct AlignedTimerQueue<Payload> {
    @usableFromInline typealias Timer = TimerQueue<Payload>.Timer

    /// The distinct times with pending timers other than those of `draining`.
    @usableFromInline var times = TimerQueue<Void>()
    /// The timers of those times, except `filling`'s.
    @usableFromInline var buckets: [EventTime: ContiguousArray<Timer>] = [:]
    /// The bucket of the time last scheduled (a firing reschedules its keys to one time): appended
    /// to without a hash lookup, and put in `buckets` when another time is scheduled or popped.
    @usableFromInline var filling: ContiguousArray<Timer> = []
    @usableFromInline var fillingTime: EventTime = .noTime
    /// The storage of the last bucket drained, kept for the next new bucket: a steady firing
    /// cycle then allocates nothing.
    @usableFromInline var spare: ContiguousArray<Timer> = []
    /// The bucket being popped (at `drainingTime`), and how many of its timers came out.
    @usableFromInline var draining: ContiguousArray<Timer> = []
    @usableFromInline var drainingTime: EventTime = .noTime
    @usableFromInline var drained = 0
    @usableFromInline var count = 0
    /// The sequence number the next scheduled timer gets; never reused.
    @usableFromInline var nextSequence: UInt64 = 1

    @inlinable init() {}

    @inlinable var isEmpty: Bool { count == 0 }

    /// The earliest timer's time, if any.
    @inlinable var nextTime: EventTime? {
        guard drained < draining.count else { return times.nextTime }
        return min(drainingTime, times.nextTime ?? drainingTime)
    }

    /// Adds a timer and returns its sequence number.
    @discardableResult
    @inlinable @inline(__always) mutating func schedule(_ payload: Payload, at time: EventTime) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        count += 1
        let timer = Timer(time: time, sequence: sequence, payload: payload)
        // The usual case, inline: another timer for the time being filled (a firing reschedules
        // its keys to the same next time).
        if time == fillingTime && !filling.isEmpty && !(drained < draining.count && time == drainingTime) {
            filling.append(timer)
        } else {
            place(timer)
        }
        return sequence
    }

    /// Puts a timer in its bucket: the one being drained, the one being filled, or another.
    @inlinable @inline(never)
    mutating func place(_ timer: Timer) {
        let time = timer.time
        if drained < draining.count && time == drainingTime {
            draining.append(timer)
        } else if time == fillingTime && !filling.isEmpty {
            filling.append(timer)
        } else {
            putFillingAway()
            if let bucket = buckets.removeValue(forKey: time) {
                filling = bucket
            } else {
                swap(&filling, &spare)
                times.schedule((), at: time)
            }
            fillingTime = time
            filling.append(timer)
        }
    }

    /// Moves the bucket being filled into `buckets`.
    @inlinable mutating func putFillingAway() {
        guard !filling.isEmpty else { return }
        buckets[fillingTime] = filling
        filling = []
    }

    /// The earliest time with timers, if it is at most `time` and none of its timers has been
    /// popped, with how many timers (live and stale) it holds: a bucket its owner may handle
    /// whole, by a pass over its own state, and then `discardBucket(at:)`.
    @inlinable func wholeBucket(dueAt time: EventTime) -> (time: EventTime, count: Int)? {
        guard drained == draining.count, let next = times.nextTime, next <= time else { return nil }
        if next == fillingTime && !filling.isEmpty { return (next, filling.count) }
        return (next, buckets[next]?.count ?? 0)
    }

    /// Removes the timers of `wholeBucket(dueAt:)`'s time, unpopped.
    @inlinable mutating func discardBucket(at time: EventTime) {
        precondition(drained == draining.count && times.nextTime == time, "only the next whole bucket can be discarded")
        _ = times.popTimer(dueAt: time)
        if time == fillingTime && !filling.isEmpty {
            count -= filling.count
            filling.removeAll(keepingCapacity: true)
        } else if var bucket = buckets.removeValue(forKey: time) {
            count -= bucket.count
            bucket.removeAll(keepingCapacity: true)
            spare = bucket
        }
    }

    /// Removes and returns the earliest timer if its time is at most `time`.
    @inlinable mutating func popTimer(dueAt time: EventTime) -> Timer? {
        while true {
            if drained < draining.count {
                if let earlier = times.nextTime, earlier < drainingTime {
                    // A timer was scheduled before the bucket being drained: put the bucket back.
                    putFillingAway()
                    buckets[drainingTime] = ContiguousArray(draining[drained...])
                    times.schedule((), at: drainingTime)
                    draining.removeAll(keepingCapacity: true)
                    drained = 0
                    continue
                }
                guard drainingTime <= time else { return nil }
                let timer = draining[drained]
                drained += 1
                count -= 1
                return timer
            }
            guard let next = times.nextTime, next <= time else { return nil }
            _ = times.popTimer(dueAt: next)
            putFillingAway()
            draining.removeAll(keepingCapacity: true)
            spare = draining
            draining = buckets.removeValue(forKey: next) ?? []
            drainingTime = next
            drained = 0
        }
    }
}
