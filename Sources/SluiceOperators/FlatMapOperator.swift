import SluiceCore

/// Replaces every record by the elements of a sequence; each element keeps the record's time.
public struct FlatMapOperator<Input, Results: Sequence>: BatchOperator {
    public typealias Output = Results.Element
    public let transform: (Input) throws -> Results

    @inlinable
    public init(_ transform: @escaping (Input) throws -> Results) {
        self.transform = transform
    }

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        for i in 0..<batch.count {
            for result in try transform(batch.records[i]) {
                output.append(result, time: batch.times[i])
            }
        }
    }
}
