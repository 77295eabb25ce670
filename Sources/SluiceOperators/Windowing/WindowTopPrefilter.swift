import SluiceCore

/// The first, stateless phase of a `WindowTopOperator`: within each batch, drops the records that
/// cannot be selected for their window whatever else arrives, and passes the rest on in their order.
///
/// A record beaten, within its batch and window, by the maximum (`.allMaximal`) or by `n` records
/// that rank above it (`.top(n)`: better, or equal and earlier) is beaten by them in the window's
/// final selection too, since they reach the `WindowTopOperator` in the same order. Run before the
/// exchange to the top operator, as Flink's local-global aggregation, it turns the hundreds of
/// thousands of per-key results a firing window emits (Nexmark q5) into a few per batch. Holding
/// nothing between batches, it needs no checkpoint state and rescales freely.
///
/// The one difference it makes: a late result (its window already selected downstream) that it
/// drops is not counted as late downstream.
public struct WindowTopPrefilter<Value>: BatchOperator {
    public typealias Input = Value
    public typealias Output = Value

    /// The window a record belongs to.
    public let window: (Value) -> Window
    /// The strict order of records: `areInIncreasingOrder(a, b)` means `b` ranks above `a`.
    public let areInIncreasingOrder: (Value, Value) -> Bool
    /// Which records of each window can be selected.
    public let selection: WindowTopSelection
    /// Per window of the current batch, the indices of the records that can still be selected.
    @usableFromInline var kept: [Window: ContiguousArray<Int>] = [:]
    @usableFromInline var survivors: [Int] = []

    /// The prefilter of `top`: the same windows, order and selection.
    public init(for top: WindowTopOperator<Value>) {
        window = top.window
        areInIncreasingOrder = top.areInIncreasingOrder
        selection = top.selection
    }

    /// Passes on, in their order, the records of the batch that can still be selected.
    @inlinable
    public mutating func process(_ batch: Batch<Value>, into output: inout Batch<Value>) throws {
        guard batch.count > 0 else { return }
        kept.removeAll(keepingCapacity: true)
        let records = batch.records, selection = selection, areInIncreasingOrder = areInIncreasingOrder
        // A firing window's results come in long runs of one window: its indices stay out of
        // `kept` for the run, so that a record costs no hash lookup.
        var currentWindow = window(records[0])
        var current = ContiguousArray<Int>()
        for i in 0..<batch.count {
            let recordWindow = window(records[i])
            if recordWindow != currentWindow {
                kept[currentWindow] = current
                current = kept.removeValue(forKey: recordWindow) ?? []
                currentWindow = recordWindow
            }
            WindowTopOperator<Value>.insert(i, into: &current, selection: selection) {
                areInIncreasingOrder(records[$0], records[$1])
            }
        }
        kept[currentWindow] = current
        survivors.removeAll(keepingCapacity: true)
        for indices in kept.values { survivors.append(contentsOf: indices) }
        survivors.sort()
        for i in survivors { output.append(records[i], time: batch.times[i]) }
    }
}
