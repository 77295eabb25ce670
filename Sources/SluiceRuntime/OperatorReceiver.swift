import SluiceCore

/// Runs an operator instance inside a fused chain: feeds it what arrives and pushes its
/// results on.
public final class OperatorReceiver<Input, Output>: BatchReceiver {
    private let function: BatchFunction<Input, Output>
    private let downstream: any BatchReceiver<Output>
    /// Who this instance is in a checkpoint: operator id, instance index, key groups owned.
    private let identity: (operatorID: String, instance: Int, keyGroups: Range<Int>)?

    /// Takes the output of a watermark, a processing-time tick or the end of input in batches,
    /// while the function makes it.
    private let flush: OutputFlush<Output>

    /// - Parameter flushBatchSize: the most records a watermark, tick or end of input collects
    ///   before they are sent on (operators that emit many records at once flush them).
    public init(_ function: BatchFunction<Input, Output>, downstream: any BatchReceiver<Output>,
                identity: (operatorID: String, instance: Int, keyGroups: Range<Int>)? = nil,
                flushBatchSize: Int = 4_096) {
        self.function = function
        self.downstream = downstream
        self.identity = identity
        flush = OutputFlush(batchSize: flushBatchSize) { try downstream.receive($0) }
    }

    /// Runs `op` (unspecialised; the DSL builds specialised `BatchFunction`s instead).
    public convenience init<Operator: BatchOperator>(_ op: Operator, downstream: any BatchReceiver<Output>)
    where Operator.Input == Input, Operator.Output == Output {
        self.init(BatchFunction.of(op), downstream: downstream)
    }

    public func receive(_ batch: consuming Batch<Input>) throws {
        var output = Batch<Output>(capacity: batch.count)
        try function.process(consume batch, &output)
        if !output.isEmpty { try downstream.receive(consume output) }
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        try advance(.watermark(watermark))
        try downstream.receiveWatermark(watermark)
    }

    /// Runs the function's `advance` and sends on what it made (and did not flush).
    private func advance(_ advance: TimeAdvance) throws {
        var output = Batch<Output>()
        try function.advance(advance, &output, flush)
        if !output.isEmpty { try downstream.receive(output) }
    }

    public func receiveIdle(_ idle: Bool) throws {
        try downstream.receiveIdle(idle)
    }

    public func tick(_ now: Int64) throws {
        try advance(.processingTime(now))
        try downstream.tick(now)
    }

    public func inputDrained() throws {
        try downstream.inputDrained()
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        if let snapshot = function.snapshot {
            guard let identity else {
                throw PipelineError("a stateful operator without an id cannot be checkpointed")
            }
            checkpoint.addState(operatorID: identity.operatorID, instance: identity.instance,
                                keyGroups: identity.keyGroups, snapshot: try snapshot())
        }
        try downstream.receiveBarrier(checkpoint)
    }

    public func finish() throws {
        try advance(.end)
        try downstream.finish()
    }
}
