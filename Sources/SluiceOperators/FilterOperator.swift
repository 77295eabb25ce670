import SluiceCore

/// Keeps the records for which a predicate holds.
public struct FilterOperator<Record>: BatchOperator {
    public let isIncluded: (Record) throws -> Bool

    @inlinable
    public init(_ isIncluded: @escaping (Record) throws -> Bool) {
        self.isIncluded = isIncluded
    }

    @inlinable
    public mutating func process(_ batch: consuming Batch<Record>, into output: inout Batch<Record>) throws {
        let isIncluded = isIncluded
        // The records kept move on; none is copied.
        output.append(contentsOf: try batch.drain { record in try isIncluded(record) ? record : nil })
    }
}
