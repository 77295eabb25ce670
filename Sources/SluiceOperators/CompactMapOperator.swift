import SluiceCore

/// Applies a function to every record and keeps the non-nil results.
public struct CompactMapOperator<Input, Output>: BatchOperator {
    public let transform: (Input) throws -> Output?

    @inlinable
    public init(_ transform: @escaping (Input) throws -> Output?) {
        self.transform = transform
    }

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        output.append(contentsOf: try batch.compactMapped(transform))
    }
}
