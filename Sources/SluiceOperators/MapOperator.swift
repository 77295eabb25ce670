import SluiceCore

/// Applies a function to every record; event times are kept.
public struct MapOperator<Input, Output>: BatchOperator {
    /// Takes its record (`consuming`): a result built from the record's fields moves them.
    public let transform: (consuming Input) throws -> Output

    @inlinable
    public init(_ transform: @escaping (consuming Input) throws -> Output) {
        self.transform = transform
    }

    @inlinable
    public mutating func process(_ batch: consuming Batch<Input>, into output: inout Batch<Output>) throws {
        let transform = transform
        // A closure, not `transform` itself: passed as it is, the stored closure went through a
        // reabstraction thunk that copied every result.
        output.append(contentsOf: try batch.drain { record in try transform(consume record) })
    }
}
