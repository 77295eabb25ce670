import SluiceCore
import SluiceState

/// The state of tumbling and sliding windows laid out by pane: each key has a slot, and each live
/// pane is a `PaneColumn` holding every slot's accumulator for that pane.
///
/// Firing a window that most keys share (Nexmark q5 counts bids per auction and fires every
/// auction every 2 s) is then a pass over that window's few columns in address order: a handful
/// of words per key, where `PaneWindowStore` reads each key's own array of panes, wherever the
/// heap put it, and reschedules the key's timer. There are no per-key timers: windows fire in end
/// order as the watermark passes them, over all keys at once, and a key leaves when none of the
/// live panes holds it.
///
/// The semantics are `PaneWindowStore`'s (panes, lateness, corrections, late records). A column
/// has a slot for every key, so the store keeps at most `maxColumns` panes, spanning at most that
/// many pane lengths: a record for a pane further out makes `add` return `nil`, and the caller
/// moves the state to a `PaneWindowStore` (`byKey()`), whose memory follows the panes that keys
/// actually have, however far apart.
@usableFromInline struct PaneColumnStore<Key: PartitionKey, A: Aggregator> {
    @usableFromInline typealias Geometry = PaneWindowStore<Key, A>.Geometry
    @usableFromInline typealias Column = PaneColumn<A.Accumulator>

    @usableFromInline let aggregator: A
    @usableFromInline let geometry: Geometry
    /// The most pane lengths the live columns may span.
    @usableFromInline let maxColumns: Int
    /// Every window with `maxTimestamp <= watermark` has fired.
    @usableFromInline var watermark: EventTime = .noTime
    /// Present slots over all columns: the live pane accumulators.
    @usableFromInline var paneCount = 0
    /// The slot of each key.
    @usableFromInline var slots = KeyedStateTable<Key, Int32>()
    /// The key of each slot handed out so far; a free slot keeps its last key.
    @usableFromInline var keyOfSlot: ContiguousArray<Key> = []
    /// A bit per slot: whether a key holds it.
    @usableFromInline var occupied: ContiguousArray<UInt64> = []
    /// Set bits in `occupied`: the keys with a pane.
    @usableFromInline var keyCount = 0
    @usableFromInline var freeSlots: ContiguousArray<Int32> = []
    /// Slots whose keys no column holds any more, still in `slots`: removing a key from the
    /// table costs a few cache misses, so the keys are removed a few per record added
    /// (`retireSome`) rather than while a window's results wait behind the freeing of its panes.
    /// A key that comes back first keeps its slot.
    @usableFromInline var retiring: ContiguousArray<Int32> = []
    /// A bit per slot: whether it is in `retiring`.
    @usableFromInline var retiringBits: ContiguousArray<UInt64> = []
    /// The slots of every column: a multiple of 64.
    @usableFromInline var capacity = 0
    /// The live panes, by start.
    @usableFromInline var columns: ContiguousArray<Column> = []
    /// The last column freed, reused for the next new pane: a new column as large as the table
    /// would fault its pages in again every slide.
    @usableFromInline var spare: Column?
    /// The pane of the last record added and its column, while neither the columns nor the
    /// watermark have moved: records come in time order, so most fall in the same pane, and skip
    /// the divisions, the lateness check and the search of the columns.
    @usableFromInline var recentPane = RecentPane.none
    /// The slots of recently added keys, by a few bits of their hash, in front of `slots`: a
    /// record of a hot key (half of q5's bids go to one auction) or of a recent one finds its slot
    /// in a few kilobytes instead of three arrays as large as the table. An entry is the key's
    /// hash's top half beside the slot (`recentEntry`), so that a record of another key passes
    /// it without reading `keyOfSlot` (a cache miss when keys are many). A slot here is always its
    /// key's in `slots` (`keyOfSlot` says which key): retiring a key clears it.
    @usableFromInline var recentSlots = ContiguousArray<UInt64>(repeating: emptyRecentEntry, count: recentSlotCount)

    /// The pane `recentPane` remembers.
    @usableFromInline struct RecentPane {
        @usableFromInline var start: EventTime
        @usableFromInline var end: EventTime
        @usableFromInline var lastWindowStart: EventTime
        @usableFromInline var index: Int

        @inlinable init(start: EventTime, end: EventTime, lastWindowStart: EventTime, index: Int) {
            self.start = start
            self.end = end
            self.lastWindowStart = lastWindowStart
            self.index = index
        }

        /// No pane: no time falls in it.
        @inlinable static var none: RecentPane { RecentPane(start: 0, end: 0, lastWindowStart: 0, index: 0) }
    }

    /// Entries of `recentSlots`: a power of two.
    @inlinable static var recentSlotCount: Int { 1_024 }

    /// The entry of `recentSlots` for a key's hash: high bits, as the low ones pick the key group,
    /// which the keys of one instance share some of.
    @inlinable static func recentSlotIndex(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash &>> 40) & (recentSlotCount - 1)
    }

    /// An entry of `recentSlots`: the hash's top half, and the slot in the bottom one.
    @inlinable static func recentEntry(hash: UInt64, slot: Int) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(truncatingIfNeeded: UInt32(truncatingIfNeeded: slot))
    }

    /// The slot of an entry of `recentSlots`.
    @inlinable static func recentSlot(_ entry: UInt64) -> Int { Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) }

    /// An entry that holds no slot: its slot is no slot's (there are fewer than 2^31).
    @inlinable static var emptyRecentEntry: UInt64 { .max }

    /// The most columns any store keeps: beyond, a column per slot costs more memory than a key's
    /// own panes would.
    @inlinable static var columnLimit: Int { 32 }

    /// The columns a store for windows of `geometry` may keep, or `nil` if they need more than
    /// `columnLimit`: twice a window's panes, those its allowed lateness keeps, and two more, so
    /// that records out of order ahead of the watermark fit too.
    @inlinable static func maxColumns(_ geometry: Geometry) -> Int? {
        let pane = geometry.paneLength
        let window = geometry.size / pane
        let lateness = geometry.allowedLateness / pane + (geometry.allowedLateness % pane == 0 ? 0 : 1)
        guard lateness <= Int64(columnLimit) else { return nil }
        let columns = 2 * window + lateness + 2
        return columns <= Int64(columnLimit) ? Int(columns) : nil
    }

    /// A store for windows of `size` every `slide`, or `nil` when they need too many columns.
    @inlinable init?(size: Int64, slide: Int64, allowedLateness: Int64, aggregator: A) {
        let geometry = Geometry(size: size, slide: slide, allowedLateness: allowedLateness)
        guard let maxColumns = Self.maxColumns(geometry) else { return nil }
        self.aggregator = aggregator
        self.geometry = geometry
        self.maxColumns = maxColumns
    }

    /// Live columns: each stands for the firing and freeing of its pane still to come.
    @inlinable var timerCount: Int { columns.count }

    /// Adds a record at `time` for `key`, as `PaneWindowStore.add`: `false`, changing nothing,
    /// when it is late; corrections of fired windows go to `sink`. `nil`, changing nothing, when
    /// its pane would make the columns span more than `maxColumns`.
    @inlinable mutating func add<S: WindowResultSink>(_ input: A.Input, key: Key, time: EventTime, into sink: inout S) throws -> Bool?
    where S.Key == Key, S.Value == A.Output {
        let paneStart: EventTime, lastWindowStart: EventTime, index: Int
        if recentPane.start <= time, time < recentPane.end {
            (paneStart, lastWindowStart, index) = (recentPane.start, recentPane.lastWindowStart, recentPane.index)
        } else {
            guard let pane = geometry.pane(of: time, notLateAt: watermark) else { return false }
            guard let found = columnIndex(startingAt: pane.start) else { return nil }
            (paneStart, lastWindowStart, index) = (pane.start, pane.lastWindowStart, found)
            recentPane = RecentPane(start: paneStart, end: WindowArithmetic.add(paneStart, geometry.paneLength),
                                    lastWindowStart: lastWindowStart, index: index)
        }
        if !retiring.isEmpty { retireSome() }
        let slot = self.slot(for: key)
        if !isKnownUniquelyReferenced(&columns[index]) {
            columns[index] = Column(start: paneStart, capacity: capacity, empty: aggregator.makeAccumulator(), copying: columns[index])
        }
        if !columns[index].contains(slot) {
            columns[index].insert(slot, aggregator.makeAccumulator())
            paneCount += 1
        }
        aggregator.add(input, to: &columns[index].accumulators[slot])
        // Windows already fired but still within lateness: emit their corrected results now.
        try geometry.forEachWindowToCorrect(paneStart: paneStart, lastWindowStart: lastWindowStart, watermark: watermark) { window in
            if let accumulator = accumulator(ofSlot: slot, windowStart: window.start) {
                try sink.emit(key: key, window: window, value: aggregator.result(accumulator))
            }
        }
        return true
    }

    /// The merged accumulator of the slot's panes in the window starting at `windowStart`, or
    /// `nil` if it has none there.
    @inlinable func accumulator(ofSlot slot: Int, windowStart: EventTime) -> A.Accumulator? {
        let end = WindowArithmetic.add(windowStart, geometry.size)
        var merged: A.Accumulator?
        for column in columns where column.start >= windowStart && column.start < end && column.contains(slot) {
            if merged == nil {
                merged = column.accumulators[slot]
            } else {
                aggregator.merge(column.accumulators[slot], into: &merged!)
            }
        }
        return merged
    }

    /// The index of the column of the pane at `start`, inserted (empty) if missing; `nil` if it
    /// would make the columns span more than `maxColumns` pane lengths.
    @inlinable mutating func columnIndex(startingAt start: EventTime) -> Int? {
        // Records mostly arrive in time order: their pane is the last, or close to it.
        var index = columns.count
        while index > 0, columns[index - 1].start > start { index -= 1 }
        if index > 0, columns[index - 1].start == start { return index - 1 }
        return insertColumn(at: index, start: start) ? index : nil
    }

    /// Inserts an empty column for the pane at `start` at `index` of `columns`, unless it would
    /// make them span too many panes.
    @usableFromInline mutating func insertColumn(at index: Int, start: EventTime) -> Bool {
        let low = Swift.min(columns.first?.start ?? start, start)
        let high = Swift.max(columns.last?.start ?? start, start)
        let (span, overflow) = high.subtractingReportingOverflow(low)
        guard !overflow, span / geometry.paneLength < Int64(maxColumns) else { return false }
        var column: Column
        if var reused = spare {
            spare = nil
            if isKnownUniquelyReferenced(&reused), reused.capacity == capacity {
                reused.reset(start: start, empty: aggregator.makeAccumulator())
                column = reused
            } else {
                column = Column(start: start, capacity: capacity, empty: aggregator.makeAccumulator())
            }
        } else {
            column = Column(start: start, capacity: capacity, empty: aggregator.makeAccumulator())
        }
        columns.insert(column, at: index)
        recentPane = .none
        return true
    }

    /// The slot of `key`, handed out (a free one, or a new one) if it has none.
    @inlinable mutating func slot(for key: Key) -> Int {
        let hash = key.stableHash
        let recent = Self.recentSlotIndex(hash)
        let entry = recentSlots[recent], cached = Self.recentSlot(entry)
        if entry &>> 32 == hash &>> 32, cached < keyOfSlot.count, keyOfSlot[cached] == key {
            let word = cached &>> 6, bit: UInt64 = 1 &<< UInt64(cached & 63)
            if occupied[word] & bit == 0 {
                occupied[word] |= bit
                keyCount += 1
            }
            return cached
        }
        let candidate = freeSlots.last ?? Int32(truncatingIfNeeded: keyOfSlot.count)
        let slot = Int(slots.update(key, hash: hash, default: { candidate }) { $0 })
        recentSlots[recent] = Self.recentEntry(hash: hash, slot: slot)
        let word = slot &>> 6, bit: UInt64 = 1 &<< UInt64(slot & 63)
        // A free or new slot is no other key's: getting it back means the key was added.
        guard slot == Int(candidate) else {
            // A key back before its slot was retired takes it up again.
            if occupied[word] & bit == 0 {
                occupied[word] |= bit
                keyCount += 1
            }
            return slot
        }
        if freeSlots.isEmpty {
            precondition(slot < Int(Int32.max), "a window store holds fewer than 2^31 keys")
            if slot == capacity { grow() }
            keyOfSlot.append(key)
        } else {
            freeSlots.removeLast()
            keyOfSlot[slot] = key
        }
        occupied[word] |= bit
        keyCount += 1
        return slot
    }

    /// Removes from `slots` the keys of a few retiring slots that no key has taken up again, and
    /// frees those slots.
    @inlinable mutating func retireSome() {
        for _ in 0..<2 {
            guard let last = retiring.popLast() else { return }
            let slot = Int(last), word = slot &>> 6, bit: UInt64 = 1 &<< UInt64(slot & 63)
            retiringBits[word] &= ~bit
            guard occupied[word] & bit == 0 else { continue }
            let key = keyOfSlot[slot]
            slots.removeValue(forKey: key)
            let recent = Self.recentSlotIndex(key.stableHash)
            if Self.recentSlot(recentSlots[recent]) == slot { recentSlots[recent] = Self.emptyRecentEntry }
            freeSlots.append(last)
        }
    }

    /// Doubles the slots of every column.
    @usableFromInline mutating func grow() {
        capacity = Swift.max(64, capacity * 2)
        let empty = aggregator.makeAccumulator()
        for index in columns.indices {
            columns[index] = Column(start: columns[index].start, capacity: capacity, empty: empty, copying: columns[index])
        }
        spare = nil
        occupied.append(contentsOf: repeatElement(0, count: capacity / 64 - occupied.count))
        retiringBits.append(contentsOf: repeatElement(0, count: capacity / 64 - retiringBits.count))
    }

    /// Advances the watermark: fires, in end order, every window with `maxTimestamp <= watermark`
    /// that holds a live pane, then frees the panes past their windows' allowed lateness and the
    /// slots of keys left in no pane.
    @inlinable mutating func advance<S: WindowResultSink>(to newWatermark: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        guard newWatermark > watermark else { return }
        let previous = watermark
        watermark = newWatermark
        // The recent pane may be late now, or its column freed.
        recentPane = .none
        guard let first = columns.first?.start, let last = columns.last?.start else { return }
        if var start = geometry.earliestStartToFire(after: previous) {
            start = Swift.max(start, geometry.firstWindowStart(containing: first))
            let lastStart = WindowAssigner.alignedStart(last, geometry.slide)
            while start <= lastStart, WindowArithmetic.add(start, geometry.size - 1) <= newWatermark {
                try fire(windowStart: start, into: &sink)
                start += geometry.slide
            }
        }
        freeColumns(cleanedUpBy: newWatermark)
    }

    /// Emits the result of every slot present in the window starting at `windowStart`.
    @inlinable func fire<S: WindowResultSink>(windowStart: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        let end = WindowArithmetic.add(windowStart, geometry.size)
        // Pointers into the window's columns, which `columns` keeps alive for the pass.
        var present = ContiguousArray<UnsafeMutablePointer<UInt64>>()
        var accumulators = ContiguousArray<UnsafeMutablePointer<A.Accumulator>>()
        var largest = 0
        for column in columns where column.start >= windowStart && column.start < end {
            present.append(column.present)
            accumulators.append(column.accumulators)
            largest = Swift.max(largest, column.presentCount)
        }
        guard largest > 0 else { return }
        sink.reserveCapacity(forAdditional: largest)
        let window = Window(start: windowStart, end: end)
        let aggregator = aggregator, words = capacity &>> 6, panes = present.count
        // The merged accumulators of the 64 slots of one word at a time. They are merged a column
        // at a time, over the slots the column has, which the set bits say without a branch per
        // slot: testing each slot's panes in turn mispredicted a few times per key.
        let merged = UnsafeMutablePointer<A.Accumulator>.allocate(capacity: 64)
        merged.initialize(repeating: aggregator.makeAccumulator(), count: 64)
        defer {
            merged.deinitialize(count: 64)
            merged.deallocate()
        }
        try keyOfSlot.withUnsafeBufferPointer { keys in
            for word in 0..<words {
                var merging: UInt64 = 0
                for pane in 0..<panes {
                    let slots = present[pane][word], column = accumulators[pane] + word &<< 6
                    var first = slots & ~merging, more = slots & merging
                    while first != 0 {
                        let bit = first.trailingZeroBitCount
                        first &= first &- 1
                        merged[bit] = column[bit]
                    }
                    while more != 0 {
                        let bit = more.trailingZeroBitCount
                        more &= more &- 1
                        aggregator.merge(column[bit], into: &merged[bit])
                    }
                    merging |= slots
                }
                while merging != 0 {
                    let bit = merging.trailingZeroBitCount
                    merging &= merging &- 1
                    try sink.emit(key: keys[word &<< 6 | bit], window: window, value: aggregator.result(merged[bit]))
                }
            }
        }
    }

    /// Frees the columns whose pane is past its last window's allowed lateness at `watermark`,
    /// and marks for retiring the slots of the keys no remaining column holds.
    @usableFromInline mutating func freeColumns(cleanedUpBy watermark: EventTime) {
        var freed = 0
        while freed < columns.count, geometry.cleanupTime(ofPaneStartingAt: columns[freed].start) <= watermark {
            paneCount -= columns[freed].presentCount
            freed += 1
        }
        guard freed > 0 else { return }
        spare = columns[freed - 1]
        columns.removeFirst(freed)
        guard !columns.isEmpty else {
            // No key is left: start again from an empty table.
            slots = KeyedStateTable()
            recentSlots = ContiguousArray(repeating: Self.emptyRecentEntry, count: Self.recentSlotCount)
            keyOfSlot = []
            occupied = []
            keyCount = 0
            freeSlots = []
            retiring = []
            retiringBits = []
            capacity = 0
            spare = nil
            return
        }
        let present = columns.map(\.present)
        for word in occupied.indices where occupied[word] != 0 {
            var alive: UInt64 = 0
            for column in present { alive |= column[word] }
            let gone = occupied[word] & ~alive
            occupied[word] &= alive
            keyCount -= gone.nonzeroBitCount
            var newlyRetiring = gone & ~retiringBits[word]
            retiringBits[word] |= gone
            while newlyRetiring != 0 {
                retiring.append(Int32(truncatingIfNeeded: word &<< 6 | newlyRetiring.trailingZeroBitCount))
                newlyRetiring &= newlyRetiring &- 1
            }
        }
        // Far fewer keys than slots (a burst of keys has passed): lay the state out again in
        // columns as small as the keys left need, rather than keep the burst's memory.
        if capacity >= Self.smallestShrinkingCapacity, keyCount * 8 < capacity {
            self = compacted()
        }
    }

    /// The fewest slots for which the columns shrink when most of them are free.
    @inlinable static var smallestShrinkingCapacity: Int { 4_096 }
}
