import SluiceCore
import SluiceState

/// The state of tumbling and sliding windows: per key, one accumulator per *pane*.
///
/// Sliding windows of `size` every `slide` overlap, so a record belongs to about `size / slide`
/// of them. Rather than updating that many accumulators per record, time is cut into panes of
/// `gcd(size, slide)`: every window is a whole number of panes, a record updates exactly one pane
/// accumulator, and a window's result is the `merge` of its `size / pane` panes when it fires.
/// Tumbling windows are the case `slide == size`: one pane per window, no merge.
///
/// Per key the panes are kept sorted by start in a small array (records mostly arrive in time
/// order, so the pane to update is usually the last one). Each key has at most one live timer in
/// `timers`: the earlier of its next window to fire and its oldest pane's cleanup. A watermark
/// pops due timers in time order, so windows fire in end order and a watermark costs work
/// proportional to what it fires and frees.
@usableFromInline struct PaneWindowStore<Key: PartitionKey, A: Aggregator> {
    @usableFromInline struct Pane {
        @usableFromInline var start: EventTime
        @usableFromInline var accumulator: A.Accumulator

        @inlinable init(start: EventTime, accumulator: A.Accumulator) {
            self.start = start
            self.accumulator = accumulator
        }
    }

    @usableFromInline struct KeyState {
        @usableFromInline var panes: ContiguousArray<Pane> = []
        /// The sequence number of this key's live timer in `timers` (0: none yet).
        @usableFromInline var timerSequence: UInt64 = 0
        @usableFromInline var timerTime: EventTime = .max

        @inlinable init() {}
    }

    @usableFromInline let size: Int64
    @usableFromInline let slide: Int64
    @usableFromInline let paneLength: Int64
    @usableFromInline let allowedLateness: Int64
    @usableFromInline let aggregator: A

    /// Every window with `maxTimestamp <= watermark` has fired.
    @usableFromInline var watermark: EventTime = .noTime
    /// The number of live pane accumulators over all keys.
    @usableFromInline var paneCount = 0
    @usableFromInline var keys = KeyedStateTable<Key, KeyState>()
    @usableFromInline var timers = AlignedTimerQueue<Key>()

    @inlinable init(size: Int64, slide: Int64, allowedLateness: Int64, aggregator: A) {
        precondition(size > 0 && slide > 0, "window size and slide must be positive")
        precondition(slide <= size, "a slide larger than the size would leave records in no window")
        precondition(allowedLateness >= 0, "allowed lateness must not be negative")
        self.size = size
        self.slide = slide
        self.paneLength = Self.gcd(size, slide)
        self.allowedLateness = allowedLateness
        self.aggregator = aggregator
    }

    /// The number of timers pending (live and superseded ones).
    @inlinable var timerCount: Int { timers.count }

    /// Adds a record at `time` for `key`. Returns `false`, changing nothing, when the record is
    /// late: the last window containing it is past its allowed lateness.
    ///
    /// A record for windows that already fired (but are within the allowed lateness) fires those
    /// windows again at once with their full updated result, in window end order.
    @inlinable mutating func add<S: WindowResultSink>(_ input: A.Input, key: Key, time: EventTime, into sink: inout S) throws -> Bool
    where S.Key == Key, S.Value == A.Output {
        let lastWindowStart = WindowAssigner.alignedStart(time, slide)
        guard cleanupTime(ofWindowStartingAt: lastWindowStart) > watermark else { return false }
        let paneStart = WindowAssigner.alignedStart(time, paneLength)
        // Locals: the closure below runs while `keys` is being modified, so it must not touch `self`.
        let aggregator = aggregator, size = size, slide = slide, lateness = allowedLateness
        let watermark = watermark, geometry = geometry, sequence = timers.nextSequence
        let (created, schedule): (Bool, EventTime?) = try keys.update(key, default: { KeyState() }) { state in
            let (index, created) = Self.pane(at: paneStart, in: &state.panes, aggregator: aggregator)
            aggregator.add(input, to: &state.panes[index].accumulator)
            // Windows already fired but still within lateness: emit their corrected results now.
            var start = geometry.firstWindowStart(containing: paneStart)
            while start <= lastWindowStart {
                let maxTimestamp = start + size - 1
                if maxTimestamp > watermark { break }
                if WindowArithmetic.add(maxTimestamp, lateness) > watermark,
                   let accumulator = Self.accumulator(of: state.panes, windowStart: start, size: size, aggregator: aggregator) {
                    try sink.emit(key: key, window: Window(start: start, end: start + size), value: aggregator.result(accumulator))
                }
                start += slide
            }
            // Only a new pane can bring the key's next fire or cleanup forward.
            guard created else { return (false, nil) }
            let next = geometry.nextActionTime(of: state.panes, after: watermark)
            guard state.timerSequence == 0 || next < state.timerTime else { return (true, nil) }
            state.timerSequence = sequence
            state.timerTime = next
            return (true, next)
        }
        if created { paneCount += 1 }
        if let schedule {
            let scheduled = timers.schedule(key, at: schedule)
            assert(scheduled == sequence)
        }
        return true
    }

    /// Advances the watermark: fires every window with `maxTimestamp <= watermark` in end order,
    /// and frees the panes of windows past their allowed lateness.
    @inlinable mutating func advance<S: WindowResultSink>(to newWatermark: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        guard newWatermark > watermark else { return }
        watermark = newWatermark
        let aggregator = aggregator, size = size, slide = slide, geometry = geometry
        while let timer = timers.popTimer(dueAt: newWatermark) {
            // Skip superseded timers and timers of keys whose state is gone.
            guard keys.withValue(forKey: timer.payload, { $0.timerSequence }) == timer.sequence else { continue }
            let now = timer.time
            let key = timer.payload
            let sequence = timers.nextSequence
            var freed = 0
            let next: EventTime? = try keys.update(key, default: { KeyState() }) { state in
                // Every window ending before `now` was handled by an earlier timer; fire the one ending at it.
                let start = now - size + 1
                if WindowAssigner.alignedStart(start, slide) == start,
                   let accumulator = Self.accumulator(of: state.panes, windowStart: start, size: size, aggregator: aggregator) {
                    try sink.emit(key: key, window: Window(start: start, end: start + size), value: aggregator.result(accumulator))
                }
                while freed < state.panes.count, geometry.cleanupTime(ofPaneStartingAt: state.panes[freed].start) <= now {
                    freed += 1
                }
                state.panes.removeFirst(freed)
                guard !state.panes.isEmpty else { return nil }
                // Strictly after `now`: due panes are gone and the next window ends later.
                let next = geometry.nextActionTime(of: state.panes, after: now)
                state.timerSequence = sequence
                state.timerTime = next
                return next
            }
            paneCount -= freed
            if let next {
                timers.schedule(key, at: next)
            } else {
                keys.removeValue(forKey: key)
            }
        }
    }

    @inlinable func cleanupTime(ofWindowStartingAt start: EventTime) -> EventTime {
        geometry.cleanupTime(ofWindowStartingAt: start)
    }

    @inlinable var geometry: Geometry {
        Geometry(size: size, slide: slide, allowedLateness: allowedLateness)
    }

    /// The index of the pane starting at `start`, inserted (empty) if missing, and whether it was.
    @inlinable static func pane(at start: EventTime, in panes: inout ContiguousArray<Pane>, aggregator: A) -> (Int, Bool) {
        if let last = panes.last {
            if last.start == start { return (panes.count - 1, false) }
            if last.start > start {
                let index = WindowArithmetic.lowerBound(panes, start) { $0.start }
                if panes[index].start == start { return (index, false) }
                panes.insert(Pane(start: start, accumulator: aggregator.makeAccumulator()), at: index)
                return (index, true)
            }
        }
        panes.append(Pane(start: start, accumulator: aggregator.makeAccumulator()))
        return (panes.count - 1, true)
    }

    /// The merged accumulator of the panes in `[windowStart, windowStart + size)`, or `nil` if the
    /// key has none there. A single pane (always, for tumbling windows) is used without merging.
    @inlinable static func accumulator(of panes: ContiguousArray<Pane>, windowStart: EventTime, size: Int64,
                                    aggregator: A) -> A.Accumulator? {
        var index = WindowArithmetic.lowerBound(panes, windowStart) { $0.start }
        let end = windowStart + size
        guard index < panes.count, panes[index].start < end else { return nil }
        var accumulator = panes[index].accumulator
        index += 1
        while index < panes.count, panes[index].start < end {
            aggregator.merge(panes[index].accumulator, into: &accumulator)
            index += 1
        }
        return accumulator
    }

    @inlinable static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// The window arithmetic, as a value the update closures can capture without capturing `self`.
    @usableFromInline struct Geometry {
        @usableFromInline let size: Int64
        @usableFromInline let slide: Int64
        @usableFromInline let allowedLateness: Int64

        @inlinable init(size: Int64, slide: Int64, allowedLateness: Int64) {
            self.size = size
            self.slide = slide
            self.allowedLateness = allowedLateness
        }

        /// The start of the earliest window that contains the pane (or time) `time`: the smallest
        /// multiple of `slide` greater than `time - size`.
        @inlinable func firstWindowStart(containing time: EventTime) -> EventTime {
            WindowAssigner.alignedStart(time - size, slide) + slide
        }

        /// When the window starting at `start` is freed: `maxTimestamp + allowedLateness`.
        @inlinable func cleanupTime(ofWindowStartingAt start: EventTime) -> EventTime {
            WindowArithmetic.add(start + size - 1, allowedLateness)
        }

        /// When a pane is freed: the cleanup time of the last window that contains it.
        @inlinable func cleanupTime(ofPaneStartingAt start: EventTime) -> EventTime {
            cleanupTime(ofWindowStartingAt: WindowAssigner.alignedStart(start, slide))
        }

        /// The `maxTimestamp` of the first window that ends after `time` and holds one of `panes`.
        @inlinable func nextFireTime(of panes: ContiguousArray<Pane>, after time: EventTime) -> EventTime? {
            // The smallest window start whose maxTimestamp exceeds `time`: panes before it are in no
            // window still to fire. Guarded against overflow at both ends of time.
            let earliestStart: EventTime
            if time <= EventTime.min + size {
                earliestStart = .min
            } else if time >= EventTime.max - slide {
                return nil
            } else {
                earliestStart = WindowAssigner.alignedStart(time - size + 1, slide) + slide
            }
            let index = WindowArithmetic.lowerBound(panes, earliestStart) { $0.start }
            guard index < panes.count else { return nil }
            let start = Swift.max(earliestStart, firstWindowStart(containing: panes[index].start))
            return start + size - 1
        }

        /// The key's next timer: the earlier of its next window to fire and its oldest pane's cleanup.
        @inlinable func nextActionTime(of panes: ContiguousArray<Pane>, after time: EventTime) -> EventTime {
            let cleanup = cleanupTime(ofPaneStartingAt: panes[0].start)
            guard let fire = nextFireTime(of: panes, after: time) else { return cleanup }
            return Swift.min(fire, cleanup)
        }
    }
}
