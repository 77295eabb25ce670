import SluiceCore

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
    @usableFromInline var timers = WindowTimerQueue<Window>()

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
    @inlinable
    static func insert(_ record: Value, into kept: inout ContiguousArray<Value>, selection: WindowTopSelection,
                               by areInIncreasingOrder: (Value, Value) -> Bool) {
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
            if areInIncreasingOrder(best, record) {
                kept.removeAll(keepingCapacity: true)
                kept.append(record)
            } else if !areInIncreasingOrder(record, best) {
                kept.append(record)
            }
        }
    }
}
