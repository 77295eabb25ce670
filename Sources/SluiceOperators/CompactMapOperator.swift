import SluiceCore

/// Applies a function to every record and keeps the non-nil results.
public struct CompactMapOperator<Input, Output>: BatchOperator {
    /// Takes its record (`consuming`): an enum's payload or a struct's field returned moves.
    public let transform: (consuming Input) throws -> Output?

    @inlinable
    public init(_ transform: @escaping (consuming Input) throws -> Output?) {
        self.transform = transform
    }

    @inlinable
    public mutating func process(_ batch: consuming Batch<Input>, into output: inout Batch<Output>) throws {
        output.append(contentsOf: try batch.drain(transform))
    }
}
