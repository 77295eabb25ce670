import SluiceCore

/// Keeps the records for which a predicate holds.
public struct FilterOperator<Record>: BatchOperator {
    public let isIncluded: (Record) throws -> Bool

    @inlinable
    public init(_ isIncluded: @escaping (Record) throws -> Bool) {
        self.isIncluded = isIncluded
    }

    @inlinable
    public mutating func process(_ batch: Batch<Record>, into output: inout Batch<Record>) throws {
        for i in 0..<batch.count where try isIncluded(batch.records[i]) {
            output.append(batch.records[i], time: batch.times[i])
        }
    }
}
