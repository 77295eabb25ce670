import SluiceCore

/// Passes on the results of a `ResultOrLate` stream, with their times, and drops its late
/// records. It reads `result` directly rather than through a closure: a window end hands on a
/// result per key, and a call through a closure per result was a good part of that.
public struct ResultsOperator<Input: ResultOrLate>: BatchOperator {
    public typealias Output = Input.Result

    @inlinable
    public init() {}

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        output.append(contentsOf: batch.compactMapped { $0.result })
    }
}
