import SluiceCore

/// Applies a function to every record; event times are kept.
public struct MapOperator<Input, Output>: BatchOperator {
    public let transform: (Input) throws -> Output

    @inlinable
    public init(_ transform: @escaping (Input) throws -> Output) {
        self.transform = transform
    }

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        output.records.reserveCapacity(batch.count)
        for record in batch.records { output.records.append(try transform(record)) }
        output.times.append(contentsOf: batch.times)
    }
}
