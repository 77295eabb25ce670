import SluiceCore
import SluiceState

/// Keeps, per window, the greatest records of a stream of per-window results, and emits them when
/// the watermark reaches the window's `maxTimestamp`.
///
/// ```swift
/// // Nexmark q5: per window, the auctions with the most bids (ties kept).
/// var top = WindowTopOperator<WindowResult<Int64, Int>>(window: \.window, by: { $0.value < $1.value },
///                                                      selection: .allMaximal)
/// ```
///
/// Its input is usually the output of a `KeyedWindowAggregateOperator` (results carry their window
/// and arrive before the watermark that fired them). State is small and bounded per window: at most
/// `n` records for `.top(n)`, the current maximal records for `.allMaximal`; a window's state is
/// freed when it fires. Windows that fire on one watermark come out in window end order, each
/// record with the event time `window.maxTimestamp`.
///
/// A record whose window has already fired (its `maxTimestamp` is at or before the watermark) is
/// emitted as `.late(record)` with its own event time and counted in `lateRecords`; this includes
/// the corrections that an upstream operator with allowed lateness sends after a window fired,
/// since replacing an earlier result would need to know which records it supersedes.
///
/// Checkpoints save each open window's kept records (the window is the key that partitions the
/// state) and the watermark, when the records are `Codable` (`isSnapshotable`).
public struct WindowTopOperator<Value>: BatchOperator {
    /// Records that carry their window (usually window results).
    public typealias Input = Value
    /// Selected records and late records.
    public typealias Output = WindowTopOutput<Value>

    /// The window a record belongs to.
    public let window: (Value) -> Window
    /// The strict order of records: `areInIncreasingOrder(a, b)` means `b` ranks above `a`.
    public let areInIncreasingOrder: (Value, Value) -> Bool
    /// Which records of each window are emitted.
    public let selection: WindowTopSelection
    /// The records emitted as `.late` so far.
    public var lateRecords: Int { lateCount }
    /// Every window with `maxTimestamp` at or before this has fired.
    public var watermark: EventTime { firedThrough }
    // `@usableFromInline` so that the `@inlinable` batch methods specialise in a pipeline's module.
    @usableFromInline var lateCount = 0
    @usableFromInline var firedThrough: EventTime = .noTime
    /// The records kept per open window: best first for `.top`, arrival order for `.allMaximal`.
    @usableFromInline var candidates: [Window: ContiguousArray<Value>] = [:]
    @usableFromInline var timers = TimerQueue<Window>()

    /// Creates a top operator.
    /// - Parameters:
    ///   - window: the window of a record (for window results, `\.window`).
    ///   - areInIncreasingOrder: a strict weak order; greater records rank higher.
    ///   - selection: `.top(n)` with `n > 0`, or `.allMaximal`.
    public init(window: @escaping (Value) -> Window, by areInIncreasingOrder: @escaping (Value, Value) -> Bool,
                selection: WindowTopSelection) {
        if case .top(let n) = selection { precondition(n > 0, "top(n) needs n > 0") }
        self.window = window
        self.areInIncreasingOrder = areInIncreasingOrder
        self.selection = selection
    }

    /// The number of records kept over all open windows.
    public var stateSize: Int { candidates.values.reduce(0) { $0 + $1.count } }

    /// The number of windows that have records and have not fired yet.
    public var openWindows: Int { candidates.count }

    /// Keeps each record among its window's candidates, or emits it as late if the window fired.
    @inlinable
    public mutating func process(_ batch: Batch<Value>, into output: inout Batch<Output>) throws {
        for i in 0..<batch.count {
            let record = batch.records[i]
            let recordWindow = window(record)
            guard recordWindow.maxTimestamp > firedThrough else {
                lateCount += 1
                output.append(.late(record), time: batch.times[i])
                continue
            }
            let isNew = candidates[recordWindow] == nil
            let selection = selection, areInIncreasingOrder = areInIncreasingOrder
            Self.insert(record, into: &candidates[recordWindow, default: []], selection: selection, by: areInIncreasingOrder)
            if isNew { timers.schedule(recordWindow, at: recordWindow.maxTimestamp) }
        }
    }

    /// Emits the selected records of every window whose `maxTimestamp` the watermark reached, in
    /// window end order, and frees those windows.
    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        guard watermark > firedThrough else { return }
        firedThrough = watermark
        // One timer per window, scheduled when its first record came: pops in end order.
        while let timer = timers.popTimer(dueAt: watermark) {
            guard let records = candidates.removeValue(forKey: timer.payload) else { continue }
            for record in records { output.append(.selected(record), time: timer.payload.maxTimestamp) }
        }
    }

    /// Emits the selection of every window still open.
    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        try onWatermark(.endOfTime, into: &output)
    }

    /// Adds `record` to a window's kept records, dropping those that can no longer be selected.
    /// (Generic so that `WindowTopPrefilter` keeps indices by the same rule.)
    @inlinable
    static func insert<Element>(_ record: Element, into kept: inout ContiguousArray<Element>, selection: WindowTopSelection,
                                by areInIncreasingOrder: (Element, Element) -> Bool) {
        switch selection {
        case .top(let n):
            // Kept best first; a record goes after every record it does not beat, so that among
            // equals the earlier arrival ranks first. Binary search for the first record it beats.
            var low = 0, high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if areInIncreasingOrder(kept[middle], record) { high = middle } else { low = middle + 1 }
            }
            guard low < n else { return }
            kept.insert(record, at: low)
            if kept.count > n { kept.removeLast() }
        case .allMaximal:
            guard let best = kept.first else {
                kept.append(record)
                return
            }
            // Most records rank below the maximum: asking that first makes one comparison for them.
            if areInIncreasingOrder(record, best) { return }
            if areInIncreasingOrder(best, record) { kept.removeAll(keepingCapacity: true) }
            kept.append(record)
        }
    }
}

// Layout of a snapshot (after the kind byte and version): the selection (UInt8 0 and n as Int64
// for `.top(n)`, 1 and 0 for `.allMaximal`), the watermark (Int64), the window count (varint),
// then per window: start, end (Int64), the kept records (varint count, records in order).
extension WindowTopOperator {
    /// Whether checkpoints can save this operator: its records are `Codable` (checked at run time).
    public static var isSnapshotable: Bool { SnapshotValueCoder<Value>.isCodable }

    /// The state for a checkpoint: a copy-on-write copy of the open windows' kept records and the
    /// watermark, encoded only when the snapshot is serialised. `lateRecords` is not saved.
    public func snapshot() -> StateSnapshot {
        let candidates = candidates, watermark = firedThrough, selection = selection
        return StateSnapshot { try Self.serialize(candidates, watermark: watermark, selection: selection) }
    }

    /// Replaces the state with the saved windows whose key group is in `saved.keyGroups`, before
    /// any input; the watermark becomes the smallest saved one. Each window gets its timer again.
    public mutating func restore(_ saved: RestoredState) throws {
        let coder = try SnapshotValueCoder<Value>("record")
        candidates = [:]
        timers = TimerQueue()
        var watermark: EventTime?
        let (tag, n) = Self.code(of: selection)
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            try OperatorSnapshotFormat.readHeader(.windowTop, from: &reader)
            let savedTag = try reader.read(UInt8.self)
            let savedN = try reader.read(Int64.self)
            guard savedTag == tag, savedN == n else {
                throw SnapshotError(.corrupt, "the top-per-window state was saved with a different selection (\(savedTag == 0 ? "top \(savedN)" : "all maximal")) than the step now has (\(selection))")
            }
            watermark = OperatorSnapshotFormat.combine(watermark, try reader.read(Int64.self))
            let count = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<count {
                let window = try reader.readWindow()
                let recordCount = try OperatorSnapshotFormat.readCount(&reader)
                var records = ContiguousArray<Value>()
                for _ in 0..<recordCount { records.append(try coder.decode(&reader)) }
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: window)), !records.isEmpty else { continue }
                if candidates.updateValue(records, forKey: window) == nil {
                    timers.schedule(window, at: window.maxTimestamp)
                }
            }
            try reader.expectEnd()
        }
        if let watermark { firedThrough = watermark }
    }

    static func code(of selection: WindowTopSelection) -> (UInt8, Int64) {
        switch selection {
        case .top(let n): (0, Int64(n))
        case .allMaximal: (1, 0)
        }
    }

    static func serialize(_ candidates: [Window: ContiguousArray<Value>], watermark: EventTime,
                          selection: WindowTopSelection) throws -> (bytes: [UInt8], records: Int) {
        let coder = try SnapshotValueCoder<Value>("record")
        var writer = SnapshotWriter()
        OperatorSnapshotFormat.writeHeader(.windowTop, into: &writer)
        let (tag, n) = code(of: selection)
        writer.write(tag)
        writer.write(n)
        writer.write(watermark)
        writer.writeCount(candidates.count)
        for (window, records) in candidates {
            writer.write(window.start)
            writer.write(window.end)
            writer.writeCount(records.count)
            for record in records { try coder.encode(record, &writer) }
        }
        return (writer.take(), candidates.count)
    }
}
