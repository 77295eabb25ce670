import SluiceCore

/// An operator instance as closures over batches.
///
/// Generic code compiled in Sluice's own modules runs unspecialised: every record it touches
/// costs runtime metadata lookups. `BatchFunction.of(_:)` is inlinable, so when the DSL (itself
/// inlinable) builds a step, the closures below are compiled in the pipeline's module with the
/// concrete record types: the per-record loops run specialised, and only the per-batch calls
/// into them are dynamic.
public struct BatchFunction<Input, Output> {
    /// Takes the batch (`consuming`), so that a stateless operator can move its records on.
    public var process: (consuming Batch<Input>, inout Batch<Output>) throws -> Void
    /// A watermark, processing time or the end of input (`BatchOperator.advance`).
    public var advance: (TimeAdvance, inout Batch<Output>, OutputFlush<Output>) throws -> Void
    /// Takes the operator's state for a checkpoint (nil: the operator keeps none).
    public var snapshot: (() throws -> StateSnapshot)?
    /// Restores state saved by `snapshot`, before any input.
    public var restore: ((RestoredState) throws -> Void)?

    public init(process: @escaping (consuming Batch<Input>, inout Batch<Output>) throws -> Void,
                advance: @escaping (TimeAdvance, inout Batch<Output>, OutputFlush<Output>) throws -> Void = { _, _, _ in }) {
        self.process = process
        self.advance = advance
    }

    /// The closures of one operator instance, sharing its state; with `snapshot` and
    /// `restore`, the instance takes part in checkpoints.
    @inlinable
    public static func of<Operator: BatchOperator>(
        _ op: Operator, snapshot: ((Operator) -> StateSnapshot)? = nil,
        restore: ((inout Operator, RestoredState) throws -> Void)? = nil
    ) -> BatchFunction where Operator.Input == Input, Operator.Output == Output {
        let box = OperatorBox(op)
        var function = BatchFunction(
            process: { batch, output in try box.op.process(consume batch, into: &output) },
            advance: { advance, output, flush in try box.op.advance(advance, into: &output, flush: flush) })
        if let snapshot { function.snapshot = { snapshot(box.op) } }
        if let restore { function.restore = { saved in try restore(&box.op, saved) } }
        return function
    }
}

/// Holds an operator's mutable state for the closures of its `BatchFunction`.
@usableFromInline
final class OperatorBox<Operator: BatchOperator> {
    @usableFromInline var op: Operator
    @inlinable init(_ op: Operator) { self.op = op }
}
