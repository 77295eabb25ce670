import SluiceCore
import SluiceState

// Checkpoints of the keyed window state. A snapshot is a copy-on-write copy of the per-key table
// (the timer heap is not copied: it is rebuilt from the per-key timer times on restore), taken on
// the processing thread and encoded when the checkpoint thread calls `serialize`.
//
// Layout (after the kind byte and version):
//   time domain (UInt8: 0 event, 1 processing)
//   panes: size, slide, allowed lateness (Int64)   sessions: gap, allowed lateness (Int64)
//   watermark, clock (Int64)
//   key count (varint), then per key:
//     key, timer time (Int64), count (varint),
//     panes: (start Int64, accumulator)…   sessions: (start Int64, end Int64, accumulator)…

extension KeyedWindowStore {
    /// Whether checkpoints can save the state: keys and accumulators are `Codable`.
    static var isSnapshotable: Bool {
        SnapshotValueCoder<Key>.isCodable && SnapshotValueCoder<A.Accumulator>.isCodable
    }

    var timeDomainCode: UInt8 { timeDomain == .eventTime ? 0 : 1 }

    func snapshot() -> StateSnapshot {
        let domain = timeDomainCode, clock = clock
        if let columns {
            // The columns and slot arrays, shared until the store next writes to them; not the
            // key-to-slot table, which the snapshot does not need.
            let view = PaneColumnSnapshot(columns)
            return StateSnapshot {
                try PaneWindowStore<Key, A>.serialize(count: view.keyCount, domain: domain, parameters: view.parameters,
                                                      watermark: view.watermark, clock: clock, entries: view.forEachKey)
            }
        }
        if let panes {
            let keys = panes.keys, watermark = panes.watermark
            let parameters = (panes.size, panes.slide, panes.allowedLateness)
            return StateSnapshot {
                try PaneWindowStore<Key, A>.serialize(count: keys.count, domain: domain, parameters: parameters,
                                                      watermark: watermark, clock: clock) { body in
                    try keys.forEach { key, state in try body(key, state.timerTime, state.panes) }
                }
            }
        }
        let sessions = sessions!
        let keys = sessions.keys, watermark = sessions.watermark
        let parameters = (sessions.gap, sessions.allowedLateness)
        return StateSnapshot {
            try SessionWindowStore<Key, A>.serialize(keys, domain: domain, parameters: parameters,
                                                     watermark: watermark, clock: clock)
        }
    }

    /// Replaces the state with the saved entries of the keys in `saved.keyGroups`; the watermark
    /// and the clock become the smallest saved ones.
    mutating func restore(_ saved: RestoredState) throws {
        let restored: (watermark: EventTime, clock: Int64)?
        if let columns {
            // Read as by key, then laid out by pane again if the saved panes fit in columns.
            var byKey = columns.byKey()
            restored = try byKey.restore(saved, domain: timeDomainCode)
            self.columns = PaneColumnStore(byPane: byKey)
            if self.columns == nil { panes = byKey }
        } else if panes != nil {
            restored = try panes!.restore(saved, domain: timeDomainCode)
        } else {
            restored = try sessions!.restore(saved, domain: timeDomainCode)
        }
        if let restored { clock = restored.clock }
    }
}

/// Reads the part of a window snapshot before the entries; returns the watermark and clock.
private func readWindowPreamble(_ kind: OperatorSnapshotKind, domain: UInt8, parameters: [(String, Int64)],
                                from reader: inout SnapshotReader) throws -> (watermark: EventTime, clock: Int64) {
    try OperatorSnapshotFormat.readHeader(kind, from: &reader)
    let savedDomain = try reader.read(UInt8.self)
    guard savedDomain == domain else {
        let names = ["event time", "processing time"]
        throw SnapshotError(.corrupt, "the \(kind.name) state was saved in \(savedDomain < 2 ? names[Int(savedDomain)] : "domain \(savedDomain)"), but the step now uses \(names[Int(domain)])")
    }
    for (name, value) in parameters {
        try OperatorSnapshotFormat.expect(name, of: kind, equal: value, from: &reader)
    }
    return (try reader.read(Int64.self), try reader.read(Int64.self))
}

extension PaneWindowStore {
    /// Encodes `count` keys, which `entries` hands to its argument with their timer times and
    /// panes.
    static func serialize(count: Int, domain: UInt8, parameters: (size: Int64, slide: Int64, lateness: Int64),
                          watermark: EventTime, clock: Int64,
                          entries: ((Key, EventTime, ContiguousArray<Pane>) throws -> Void) throws -> Void)
        throws -> (bytes: [UInt8], records: Int) {
        let keyCoder = try SnapshotValueCoder<Key>("window key")
        let accumulatorCoder = try SnapshotValueCoder<A.Accumulator>("window accumulator")
        var writer = SnapshotWriter()
        OperatorSnapshotFormat.writeHeader(.paneWindows, into: &writer)
        writer.write(domain)
        writer.write(parameters.size)
        writer.write(parameters.slide)
        writer.write(parameters.lateness)
        writer.write(watermark)
        writer.write(clock)
        writer.writeCount(count)
        try entries { key, timerTime, panes in
            try keyCoder.encode(key, &writer)
            writer.write(timerTime)
            writer.writeCount(panes.count)
            for pane in panes {
                writer.write(pane.start)
                try accumulatorCoder.encode(pane.accumulator, &writer)
            }
        }
        return (writer.take(), count)
    }

    /// Replaces the state with the saved entries of the keys `saved` keeps; returns the smallest
    /// saved watermark and clock (nil without blobs).
    mutating func restore(_ saved: RestoredState, domain: UInt8) throws -> (watermark: EventTime, clock: Int64)? {
        let keyCoder = try SnapshotValueCoder<Key>("window key")
        let accumulatorCoder = try SnapshotValueCoder<A.Accumulator>("window accumulator")
        keys = KeyedStateTable()
        timers = AlignedTimerQueue()
        paneCount = 0
        var combined: (watermark: EventTime, clock: Int64)?
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            let preamble = try readWindowPreamble(.paneWindows, domain: domain, parameters: [
                ("window size", size), ("slide", slide), ("allowed lateness", allowedLateness),
            ], from: &reader)
            combined = (OperatorSnapshotFormat.combine(combined?.watermark, preamble.watermark),
                        Swift.min(combined?.clock ?? .max, preamble.clock))
            let count = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<count {
                let key = try keyCoder.decode(&reader)
                var state = KeyState()
                state.timerTime = try reader.read(Int64.self)
                let paneCount = try OperatorSnapshotFormat.readCount(&reader)
                for _ in 0..<paneCount {
                    let at = reader.offset
                    let start = try reader.read(Int64.self)
                    if let last = state.panes.last, last.start >= start {
                        throw SnapshotError(.corrupt, "corrupt: pane at offset \(at) starts at \(start), not after the previous one (\(last.start))")
                    }
                    state.panes.append(Pane(start: start, accumulator: try accumulatorCoder.decode(&reader)))
                }
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)), !state.panes.isEmpty else { continue }
                insertRestored(key, state)
            }
            try reader.expectEnd()
        }
        if let combined { watermark = combined.watermark }
        return combined
    }

    /// Adds `key` with `panes` (by start), timed as they require after the watermark.
    mutating func insert(_ key: Key, panes: ContiguousArray<Pane>) {
        var state = KeyState()
        state.panes = panes
        state.timerTime = geometry.nextActionTime(of: panes, fireStartingFrom: geometry.earliestStartToFire(after: watermark))
        insertRestored(key, state)
    }

    /// Adds a restored key with a live timer at its saved time.
    private mutating func insertRestored(_ key: Key, _ restored: KeyState) {
        var state = restored
        state.timerSequence = timers.schedule(key, at: state.timerTime)
        if let previous = keys.removeValue(forKey: key) { paneCount -= previous.panes.count }
        paneCount += state.panes.count
        keys.update(key, default: { state }) { _ in }
    }
}

/// What a snapshot of a `PaneColumnStore` keeps: its columns and slots as they were, shared with
/// the store until it next writes to them.
struct PaneColumnSnapshot<Key: PartitionKey, A: Aggregator>: @unchecked Sendable {
    let store: PaneColumnStore<Key, A>

    /// The store without its key-to-slot table, which a copy would make the store's next update
    /// copy in turn.
    init(_ store: PaneColumnStore<Key, A>) {
        var store = store
        store.slots = KeyedStateTable()
        self.store = store
    }

    var keyCount: Int { store.keyCount }
    var watermark: EventTime { store.watermark }
    var parameters: (size: Int64, slide: Int64, lateness: Int64) {
        (store.geometry.size, store.geometry.slide, store.geometry.allowedLateness)
    }

    /// Every key with its timer time, as a `PaneWindowStore` would have it, and its panes.
    func forEachKey(_ body: (Key, EventTime, ContiguousArray<PaneWindowStore<Key, A>.Pane>) throws -> Void) throws {
        let geometry = store.geometry
        let earliestStart = geometry.earliestStartToFire(after: store.watermark)
        try store.forEachKey { key, panes in
            try body(key, geometry.nextActionTime(of: panes, fireStartingFrom: earliestStart), panes)
        }
    }
}

extension SessionWindowStore {
    static func serialize(_ keys: KeyedStateTable<Key, KeyState>, domain: UInt8,
                          parameters: (gap: Int64, lateness: Int64),
                          watermark: EventTime, clock: Int64) throws -> (bytes: [UInt8], records: Int) {
        let keyCoder = try SnapshotValueCoder<Key>("window key")
        let accumulatorCoder = try SnapshotValueCoder<A.Accumulator>("window accumulator")
        var writer = SnapshotWriter()
        OperatorSnapshotFormat.writeHeader(.sessionWindows, into: &writer)
        writer.write(domain)
        writer.write(parameters.gap)
        writer.write(parameters.lateness)
        writer.write(watermark)
        writer.write(clock)
        writer.writeCount(keys.count)
        try keys.forEach { key, state in
            try keyCoder.encode(key, &writer)
            writer.write(state.timerTime)
            writer.writeCount(state.sessions.count)
            for session in state.sessions {
                writer.write(session.start)
                writer.write(session.end)
                try accumulatorCoder.encode(session.accumulator, &writer)
            }
        }
        return (writer.take(), keys.count)
    }

    /// As `PaneWindowStore.restore(_:domain:)`, for sessions.
    mutating func restore(_ saved: RestoredState, domain: UInt8) throws -> (watermark: EventTime, clock: Int64)? {
        let keyCoder = try SnapshotValueCoder<Key>("window key")
        let accumulatorCoder = try SnapshotValueCoder<A.Accumulator>("window accumulator")
        keys = KeyedStateTable()
        timers = TimerQueue()
        sessionCount = 0
        var combined: (watermark: EventTime, clock: Int64)?
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            let preamble = try readWindowPreamble(.sessionWindows, domain: domain, parameters: [
                ("session gap", gap), ("allowed lateness", allowedLateness),
            ], from: &reader)
            combined = (OperatorSnapshotFormat.combine(combined?.watermark, preamble.watermark),
                        Swift.min(combined?.clock ?? .max, preamble.clock))
            let count = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<count {
                let key = try keyCoder.decode(&reader)
                var state = KeyState()
                state.timerTime = try reader.read(Int64.self)
                let sessionCount = try OperatorSnapshotFormat.readCount(&reader)
                for _ in 0..<sessionCount {
                    let at = reader.offset
                    let start = try reader.read(Int64.self)
                    let end = try reader.read(Int64.self)
                    // Sessions are non-empty, sorted and disjoint.
                    if start >= end || (state.sessions.last.map { $0.end > start } ?? false) {
                        throw SnapshotError(.corrupt, "corrupt: session [\(start), \(end)) at offset \(at) is empty or overlaps the previous one")
                    }
                    state.sessions.append(Session(start: start, end: end, accumulator: try accumulatorCoder.decode(&reader)))
                }
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)), !state.sessions.isEmpty else { continue }
                insertRestored(key, state)
            }
            try reader.expectEnd()
        }
        if let combined { watermark = combined.watermark }
        return combined
    }

    private mutating func insertRestored(_ key: Key, _ restored: KeyState) {
        var state = restored
        state.timerSequence = timers.schedule(key, at: state.timerTime)
        if let previous = keys.removeValue(forKey: key) { sessionCount -= previous.sessions.count }
        sessionCount += state.sessions.count
        keys.update(key, default: { state }) { _ in }
    }
}
