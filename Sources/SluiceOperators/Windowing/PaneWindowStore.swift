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

    @usableFromInline let aggregator: A
    /// The window sizes and their arithmetic, as a value the update closures can capture without
    /// capturing `self`.
    @usableFromInline let geometry: Geometry

    @inlinable var size: Int64 { geometry.size }
    @inlinable var slide: Int64 { geometry.slide }
    @inlinable var paneLength: Int64 { geometry.paneLength }
    @inlinable var allowedLateness: Int64 { geometry.allowedLateness }

    /// Every window with `maxTimestamp <= watermark` has fired.
    @usableFromInline var watermark: EventTime = .noTime
    /// The number of live pane accumulators over all keys.
    @usableFromInline var paneCount = 0
    @usableFromInline var keys = KeyedStateTable<Key, KeyState>()
    @usableFromInline var timers = AlignedTimerQueue<Key>()
    /// How many times `advance` fired by a pass over the whole key table (for tests).
    @usableFromInline var sweeps = 0
    /// `geometry.earliestStartToFire(after: watermark)`, and the watermark it was worked out for:
    /// a division every new pane would otherwise make again.
    @usableFromInline var earliestStartToFire: (watermark: EventTime, start: EventTime?) = (.noTime, .min)

    @inlinable init(size: Int64, slide: Int64, allowedLateness: Int64, aggregator: A) {
        self.aggregator = aggregator
        self.geometry = Geometry(size: size, slide: slide, allowedLateness: allowedLateness)
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
        guard let (paneStart, lastWindowStart) = geometry.pane(of: time, notLateAt: watermark) else { return false }
        // Locals: the closure below runs while `keys` is being modified, so it must not touch `self`.
        let aggregator = aggregator, size = size
        if earliestStartToFire.watermark != watermark {
            earliestStartToFire = (watermark, geometry.earliestStartToFire(after: watermark))
        }
        let watermark = watermark, geometry = geometry, sequence = timers.nextSequence
        let earliestStart = earliestStartToFire.start
        let (created, schedule): (Bool, EventTime?) = try keys.update(key, default: { KeyState() }) { state in
            let (index, created) = Self.pane(at: paneStart, in: &state.panes, aggregator: aggregator)
            aggregator.add(input, to: &state.panes[index].accumulator)
            // Windows already fired but still within lateness: emit their corrected results now.
            try geometry.forEachWindowToCorrect(paneStart: paneStart, lastWindowStart: lastWindowStart, watermark: watermark) { window in
                if let accumulator = Self.accumulator(of: state.panes, windowStart: window.start, size: size, aggregator: aggregator) {
                    try sink.emit(key: key, window: window, value: aggregator.result(accumulator))
                }
            }
            // Only a new pane can bring the key's next fire or cleanup forward.
            guard created else { return (false, nil) }
            let next = geometry.nextActionTime(of: state.panes, fireStartingFrom: earliestStart)
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
    ///
    /// Timers are popped one by one, except that a time whose timers are at least half the keys
    /// (a window every key shares, as in a sliding count over many keys) is handled by one pass
    /// over the key table in slot order: a lookup per key in timer order would miss the cache
    /// several times per key, and that was most of the time a large window took to fire.
    @inlinable mutating func advance<S: WindowResultSink>(to newWatermark: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        guard newWatermark > watermark else { return }
        watermark = newWatermark
        let aggregator = aggregator, geometry = geometry
        var firing: Firing?
        while true {
            if let bucket = timers.wholeBucket(dueAt: newWatermark),
               bucket.count >= Self.minimumSweepKeys, bucket.count * 2 >= keys.count {
                timers.discardBucket(at: bucket.time)
                sweeps += 1
                sink.reserveCapacity(forAdditional: bucket.count)
                try sweep(firingAt: bucket.time, into: &sink)
                continue
            }
            guard let timer = timers.popTimer(dueAt: newWatermark) else { break }
            // Skip superseded timers and timers of keys whose state is gone.
            guard keys.withValue(forKey: timer.payload, { $0.timerSequence }) == timer.sequence else { continue }
            let key = timer.payload
            let sequence = timers.nextSequence
            if firing?.now != timer.time { firing = geometry.firing(at: timer.time) }
            let (freed, next) = try keys.update(key, default: { KeyState() }) { [firing] state in
                try Self.fire(&state, key: key, firing!, sequence: sequence, aggregator: aggregator, into: &sink)
            }
            paneCount -= freed
            if let next {
                timers.schedule(key, at: next)
            } else {
                keys.removeValue(forKey: key)
            }
        }
    }

    /// The fewest timers at one time for which `advance` passes over the whole key table.
    @inlinable static var minimumSweepKeys: Int { 256 }

    /// Does for every key whose timer is at `now` what popping its timer does, in one pass over
    /// the key table; the caller has discarded the timers at `now`.
    @inlinable mutating func sweep<S: WindowResultSink>(firingAt now: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        let aggregator = aggregator, firing = geometry.firing(at: now)
        // Moved out while the table is updated, which must not reach `self`.
        var timers = AlignedTimerQueue<Key>()
        swap(&timers, &self.timers)
        defer { swap(&timers, &self.timers) }
        var freedPanes = 0
        defer { paneCount -= freedPanes }
        try keys.updateOrRemoveEach(prefetching: { state in
            state.panes.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }) { key, state in
            guard state.timerTime == now else { return true }
            let (freed, next) = try Self.fire(&state, key: key, firing, sequence: timers.nextSequence,
                                              aggregator: aggregator, into: &sink)
            freedPanes += freed
            guard let next else { return false }
            timers.schedule(key, at: next)
            return true
        }
    }

    /// The work of a key's timer at `firing.now`: fires the key's window ending then, if any,
    /// frees its panes due for cleanup, and records `sequence` as its next timer. Returns the
    /// panes freed and the time of that timer, or `nil` when the key has no panes left.
    @inlinable static func fire<S: WindowResultSink>(_ state: inout KeyState, key: Key, _ firing: Firing, sequence: UInt64,
                                                   aggregator: A, into sink: inout S) throws -> (freed: Int, next: EventTime?)
    where S.Key == Key, S.Value == A.Output {
        // Every window ending before `now` was handled by an earlier timer; fire the one ending at it.
        if let window = firing.window,
           let accumulator = accumulator(of: state.panes, windowStart: window.start, size: window.end - window.start,
                                         aggregator: aggregator) {
            try sink.emit(key: key, window: window, value: aggregator.result(accumulator))
        }
        var freed = 0
        while freed < state.panes.count, state.panes[freed].start < firing.freedPanesStartBefore { freed += 1 }
        if freed > 0 { removeFirst(freed, of: &state.panes) }
        guard !state.panes.isEmpty else { return (freed, nil) }
        // Strictly after `now`: due panes are gone and the next window ends later.
        let next = firing.nextActionTime(of: state.panes)
        state.timerSequence = sequence
        state.timerTime = next
        return (freed, next)
    }

    @inlinable func cleanupTime(ofWindowStartingAt start: EventTime) -> EventTime {
        geometry.cleanupTime(ofWindowStartingAt: start)
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

    /// `panes.removeFirst(count)`, one pane at a time: `remove(at:)` moves the rest down in place,
    /// where `removeFirst(_:)` goes through the generic range replacement, which cost more than
    /// the rest of a key's firing. Usually one pane goes per firing.
    @inlinable static func removeFirst(_ count: Int, of panes: inout ContiguousArray<Pane>) {
        for _ in 0..<count { panes.remove(at: 0) }
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

    /// The window arithmetic of a store.
    @usableFromInline struct Geometry {
        @usableFromInline let size: Int64
        @usableFromInline let slide: Int64
        /// `gcd(size, slide)`: every window is a whole number of panes.
        @usableFromInline let paneLength: Int64
        @usableFromInline let allowedLateness: Int64

        /// The arithmetic of windows of `size` every `slide`, in panes of `gcd(size, slide)`.
        @inlinable init(size: Int64, slide: Int64, allowedLateness: Int64) {
            precondition(size > 0 && slide > 0, "window size and slide must be positive")
            precondition(slide <= size, "a slide larger than the size would leave records in no window")
            precondition(allowedLateness >= 0, "allowed lateness must not be negative")
            self.size = size
            self.slide = slide
            self.paneLength = PaneWindowStore.gcd(size, slide)
            self.allowedLateness = allowedLateness
        }

        /// Whether every pane start is a multiple of `slide` (the pane length is the slide, as in
        /// tumbling windows and whenever the slide divides the size): then a pane's last window
        /// starts at the pane, with no division to find it.
        @inlinable var panesStartOnSlides: Bool { paneLength == slide }

        /// The start of the earliest window that contains the pane (or time) `time`: the smallest
        /// multiple of `slide` greater than `time - size`.
        @inlinable func firstWindowStart(containing time: EventTime) -> EventTime {
            WindowAssigner.alignedStart(time - size, slide) + slide
        }

        /// The pane of a record at `time` and the start of the last window holding it, or `nil`
        /// if the record is late at `watermark`: that window is past its allowed lateness.
        /// Always inlined: called, the optional pair it returns cost 16 instructions per record
        /// (`micro-window-update`).
        @inlinable @inline(__always) func pane(of time: EventTime, notLateAt watermark: EventTime) -> (start: EventTime, lastWindowStart: EventTime)? {
            let lastWindowStart = WindowAssigner.alignedStart(time, slide)
            guard cleanupTime(ofWindowStartingAt: lastWindowStart) > watermark else { return nil }
            return (panesStartOnSlides ? lastWindowStart : WindowAssigner.alignedStart(time, paneLength), lastWindowStart)
        }

        /// Calls `body` with each window holding the pane at `paneStart` (whose last window starts
        /// at `lastWindowStart`) that fired by `watermark` but is within its allowed lateness, in
        /// end order: the windows that a record in the pane corrects.
        @inlinable func forEachWindowToCorrect(paneStart: EventTime, lastWindowStart: EventTime, watermark: EventTime,
                                               _ body: (Window) throws -> Void) rethrows {
            // Only a pane whose last millisecond the watermark passed can be in windows already fired.
            guard WindowArithmetic.add(paneStart, paneLength - 1) <= watermark else { return }
            var start = firstWindowStart(containing: paneStart)
            while start <= lastWindowStart {
                let maxTimestamp = start + size - 1
                if maxTimestamp > watermark { break }
                if WindowArithmetic.add(maxTimestamp, allowedLateness) > watermark {
                    try body(Window(start: start, end: start + size))
                }
                start += slide
            }
        }

        /// When the window starting at `start` is freed: `maxTimestamp + allowedLateness`.
        @inlinable func cleanupTime(ofWindowStartingAt start: EventTime) -> EventTime {
            WindowArithmetic.add(start + size - 1, allowedLateness)
        }

        /// When a pane is freed: the cleanup time of the last window that contains it.
        @inlinable func cleanupTime(ofPaneStartingAt start: EventTime) -> EventTime {
            cleanupTime(ofWindowStartingAt: panesStartOnSlides ? start : WindowAssigner.alignedStart(start, slide))
        }

        /// The smallest window start whose `maxTimestamp` exceeds `time` (panes before it are in
        /// no window still to fire), or `nil` if no window ends after `time`. Guarded against
        /// overflow at both ends of time.
        @inlinable func earliestStartToFire(after time: EventTime) -> EventTime? {
            if time <= EventTime.min + size { return .min }
            if time >= EventTime.max - slide { return nil }
            return WindowAssigner.alignedStart(time - size + 1, slide) + slide
        }

        /// The `maxTimestamp` of the first window starting at or after `earliestStart` (from
        /// `earliestStartToFire`) that holds one of `panes`.
        @inlinable func nextFireTime(of panes: ContiguousArray<Pane>, startingFrom earliestStart: EventTime?) -> EventTime? {
            guard let earliestStart else { return nil }
            let index = WindowArithmetic.lowerBound(panes, earliestStart) { $0.start }
            guard index < panes.count else { return nil }
            let pane = panes[index].start
            // A pane within the earliest window (aligned, unless `.min`) needs no division to place it.
            let (offset, overflow) = pane.subtractingReportingOverflow(earliestStart)
            let start = !overflow && offset < size ? earliestStart : Swift.max(earliestStart, firstWindowStart(containing: pane))
            return start + size - 1
        }

        /// The key's next timer: the earlier of its next window to fire (from `earliestStart`, which
        /// `earliestStartToFire(after:)` gives for the time now) and its oldest pane's cleanup.
        @inlinable func nextActionTime(of panes: ContiguousArray<Pane>, fireStartingFrom earliestStart: EventTime?) -> EventTime {
            let cleanup = cleanupTime(ofPaneStartingAt: panes[0].start)
            guard let fire = nextFireTime(of: panes, startingFrom: earliestStart) else { return cleanup }
            return Swift.min(fire, cleanup)
        }

        /// What timers at `now` do, worked out once for all the keys they fire.
        @inlinable func firing(at now: EventTime) -> Firing {
            let start = now &- size &+ 1
            let window = now != .max && WindowAssigner.alignedStart(start, slide) == start
                ? Window(start: start, end: start + size) : nil
            return Firing(now: now, window: window, freedPanesStartBefore: freedPanesStartBefore(at: now),
                          earliestStartToFire: earliestStartToFire(after: now), geometry: self)
        }

        /// Panes starting before this are past their cleanup at `now`: a pane's cleanup time is
        /// that of the last window holding it, which grows with the pane's start.
        @inlinable func freedPanesStartBefore(at now: EventTime) -> EventTime {
            // At the end of time every cleanup time (clamped to it) has come.
            if now == .max { return .max }
            // A pane is freed when the window starting at `alignedStart(pane, slide)` has
            // `start + size - 1 + allowedLateness <= now`.
            let (lastStart, overflow) = now.subtractingReportingOverflow(size - 1)
            let (latest, overflowLate) = lastStart.subtractingReportingOverflow(allowedLateness)
            if overflow || overflowLate { return .min }
            return WindowArithmetic.add(WindowAssigner.alignedStart(latest, slide), slide)
        }
    }

    /// The firing of every key's timer at one time `now`.
    @usableFromInline struct Firing {
        @usableFromInline let now: EventTime
        /// The window ending at `now` (`maxTimestamp == now`), if `now` ends one.
        @usableFromInline let window: Window?
        /// Panes starting before this are freed.
        @usableFromInline let freedPanesStartBefore: EventTime
        /// `geometry.earliestStartToFire(after: now)`.
        @usableFromInline let earliestStartToFire: EventTime?
        @usableFromInline let geometry: Geometry

        @inlinable init(now: EventTime, window: Window?, freedPanesStartBefore: EventTime, earliestStartToFire: EventTime?,
                        geometry: Geometry) {
            self.now = now
            self.window = window
            self.freedPanesStartBefore = freedPanesStartBefore
            self.earliestStartToFire = earliestStartToFire
            self.geometry = geometry
        }

        /// A key's next timer after this firing, from its remaining panes.
        @inlinable func nextActionTime(of panes: ContiguousArray<Pane>) -> EventTime {
            geometry.nextActionTime(of: panes, fireStartingFrom: earliestStartToFire)
        }
    }
}
