import SluiceCore
import SluiceState

/// The state of session windows: per key, its open sessions with one accumulator each.
///
/// A record at `t` has the window `[t, t + gap)`. Sessions are half-open, so a record joins a
/// session `[start, end)` when the two overlap (`start < t + gap && t < end`): records closer than
/// `gap` share a session, a record exactly `gap` after the last one starts a new one. A record that
/// overlaps several sessions bridges them: their accumulators are merged (in time order) into one.
///
/// Per key the sessions are disjoint and sorted, so the ones a record touches are a contiguous run
/// found by binary search. As for panes, each key has at most one live timer: the earlier of its
/// next session to fire and its oldest session's cleanup.
@usableFromInline struct SessionWindowStore<Key: PartitionKey, A: Aggregator> {
    @usableFromInline struct Session {
        @usableFromInline var start: EventTime
        @usableFromInline var end: EventTime
        @usableFromInline var accumulator: A.Accumulator

        @inlinable init(start: EventTime, end: EventTime, accumulator: A.Accumulator) {
            self.start = start
            self.end = end
            self.accumulator = accumulator
        }

        @inlinable var maxTimestamp: EventTime { end - 1 }
    }

    @usableFromInline struct KeyState {
        @usableFromInline var sessions: ContiguousArray<Session> = []
        /// The sequence number of this key's live timer in `timers` (0: none yet).
        @usableFromInline var timerSequence: UInt64 = 0
        @usableFromInline var timerTime: EventTime = .max

        @inlinable init() {}
    }

    @usableFromInline let gap: Int64
    @usableFromInline let allowedLateness: Int64
    @usableFromInline let aggregator: A

    /// Every session with `maxTimestamp <= watermark` has fired.
    @usableFromInline var watermark: EventTime = .noTime
    /// The number of live sessions over all keys.
    @usableFromInline var sessionCount = 0
    @usableFromInline var keys = KeyedStateTable<Key, KeyState>()
    @usableFromInline var timers = TimerQueue<Key>()

    @inlinable init(gap: Int64, allowedLateness: Int64, aggregator: A) {
        precondition(gap > 0, "the session gap must be positive")
        precondition(allowedLateness >= 0, "allowed lateness must not be negative")
        self.gap = gap
        self.allowedLateness = allowedLateness
        self.aggregator = aggregator
    }

    /// The number of timers pending (live and superseded ones).
    @inlinable var timerCount: Int { timers.count }

    /// Adds a record at `time` for `key`. Returns `false`, changing nothing, when the record is
    /// late: its own window `[time, time + gap)` is past its allowed lateness.
    ///
    /// If the session the record ends up in has already fired (its end is at or before the
    /// watermark, within lateness), the session fires again at once with its full updated result.
    @inlinable mutating func add<S: WindowResultSink>(_ input: A.Input, key: Key, time: EventTime, into sink: inout S) throws -> Bool
    where S.Key == Key, S.Value == A.Output {
        let end = time + gap
        guard WindowArithmetic.add(end - 1, allowedLateness) > watermark else { return false }
        // Locals: the closure below runs while `keys` is being modified, so it must not touch `self`.
        let aggregator = aggregator, lateness = allowedLateness, watermark = watermark
        let sequence = timers.nextSequence
        let (added, schedule): (Int, EventTime?) = try keys.update(key, default: { KeyState() }) { state in
            // The sessions [first, last) that overlap [time, end): those ending after `time` and
            // starting before `end`. In-order input mostly touches the last session.
            let first: Int
            if let last = state.sessions.last, last.end <= time {
                first = state.sessions.count
            } else {
                first = WindowArithmetic.lowerBound(state.sessions, time + 1) { $0.end }
            }
            var last = first
            while last < state.sessions.count, state.sessions[last].start < end { last += 1 }

            let added: Int
            if first == last {
                state.sessions.insert(Session(start: time, end: end, accumulator: aggregator.makeAccumulator()), at: first)
                added = 1
            } else {
                if last - first > 1 {
                    // The record bridges sessions: fold the later ones into the first, in time order.
                    for other in (first + 1)..<last {
                        let accumulator = state.sessions[other].accumulator
                        aggregator.merge(accumulator, into: &state.sessions[first].accumulator)
                    }
                    state.sessions[first].end = state.sessions[last - 1].end
                    state.sessions.removeSubrange((first + 1)..<last)
                }
                // Extended in place: the common case of a record that lands in its key's open session.
                state.sessions[first].start = Swift.min(state.sessions[first].start, time)
                state.sessions[first].end = Swift.max(state.sessions[first].end, end)
                added = 1 - (last - first)
            }
            aggregator.add(input, to: &state.sessions[first].accumulator)
            if state.sessions[first].maxTimestamp <= watermark {
                // A correction of a fired session, still within lateness (the record was not late).
                let session = state.sessions[first]
                try sink.emit(key: key, window: Window(start: session.start, end: session.end),
                              value: aggregator.result(session.accumulator))
            }
            let next = Self.nextActionTime(of: state.sessions, after: watermark, allowedLateness: lateness)
            guard state.timerSequence == 0 || next < state.timerTime else { return (added, nil) }
            state.timerSequence = sequence
            state.timerTime = next
            return (added, next)
        }
        sessionCount += added
        if let schedule {
            let scheduled = timers.schedule(key, at: schedule)
            assert(scheduled == sequence)
        }
        return true
    }

    /// Advances the watermark: fires every session with `maxTimestamp <= watermark` in end order,
    /// and frees the sessions past their allowed lateness.
    @inlinable mutating func advance<S: WindowResultSink>(to newWatermark: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        guard newWatermark > watermark else { return }
        watermark = newWatermark
        let aggregator = aggregator, lateness = allowedLateness
        while let timer = timers.popTimer(dueAt: newWatermark) {
            // Skip superseded timers and timers of keys whose state is gone.
            guard keys.withValue(forKey: timer.payload, { $0.timerSequence }) == timer.sequence else { continue }
            let now = timer.time
            let key = timer.payload
            let sequence = timers.nextSequence
            var freed = 0
            let next: EventTime? = try keys.update(key, default: { KeyState() }) { state in
                // Sessions ending before `now` were handled by earlier timers; fire the one ending at it.
                let index = WindowArithmetic.lowerBound(state.sessions, now) { $0.maxTimestamp }
                if index < state.sessions.count, state.sessions[index].maxTimestamp == now {
                    let session = state.sessions[index]
                    try sink.emit(key: key, window: Window(start: session.start, end: session.end),
                                  value: aggregator.result(session.accumulator))
                }
                while freed < state.sessions.count,
                      WindowArithmetic.add(state.sessions[freed].maxTimestamp, lateness) <= now {
                    freed += 1
                }
                state.sessions.removeFirst(freed)
                guard !state.sessions.isEmpty else { return nil }
                let next = Self.nextActionTime(of: state.sessions, after: now, allowedLateness: lateness)
                state.timerSequence = sequence
                state.timerTime = next
                return next
            }
            sessionCount -= freed
            if let next {
                timers.schedule(key, at: next)
            } else {
                keys.removeValue(forKey: key)
            }
        }
    }

    /// The key's next timer: the earlier of its oldest session's cleanup and the end of its first
    /// session still to fire (sessions are sorted, so both are found at the front or by search).
    @inlinable static func nextActionTime(of sessions: ContiguousArray<Session>, after time: EventTime,
                                       allowedLateness: Int64) -> EventTime {
        let cleanup = WindowArithmetic.add(sessions[0].maxTimestamp, allowedLateness)
        let index = time == .max ? sessions.count : WindowArithmetic.lowerBound(sessions, time + 1) { $0.maxTimestamp }
        guard index < sessions.count else { return cleanup }
        return Swift.min(cleanup, sessions[index].maxTimestamp)
    }
}
