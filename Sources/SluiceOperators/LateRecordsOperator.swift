import SluiceCore

/// Passes on the late records of a `ResultOrLate` stream, with their times, and drops its
/// results.
public struct LateRecordsOperator<Input: ResultOrLate>: BatchOperator {
    public typealias Output = Input.Late

    @inlinable
    public init() {}

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        for i in 0..<batch.count {
            if let late = batch.records[i].lateRecord { output.append(late, time: batch.times[i]) }
        }
    }
}
