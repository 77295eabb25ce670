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
    /// Batches `flush` has sent, so that `advance` knows whether a time advance made results.
    private let flushes: FlushCount

    /// - Parameter flushBatchSize: the most records a watermark, tick or end of input collects
    ///   before they are sent on (operators that emit many records at once flush them).
    public init(_ function: BatchFunction<Input, Output>, downstream: any BatchReceiver<Output>,
                identity: (operatorID: String, instance: Int, keyGroups: Range<Int>)? = nil,
                flushBatchSize: Int = 4_096) {
        self.function = function
        self.downstream = downstream
        self.identity = identity
        let flushes = FlushCount()
        self.flushes = flushes
        flush = OutputFlush(batchSize: flushBatchSize) { batch in
            flushes.batches &+= 1
            try downstream.receive(batch)
        }
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
        let completedResults = try advance(.watermark(watermark))
        try downstream.receiveWatermark(watermark)
        // Results a watermark completed (fired windows, closed auctions) and the watermark behind
        // them go on now, rather than wait in an exchange for fuller batches: they are what the
        // next steps wait for, while this thread may have a backlog to work through first.
        if completedResults { try downstream.inputDrained() }
    }

    /// Runs the function's `advance` and sends on what it made (and did not flush). Returns
    /// whether it made anything.
    @discardableResult
    private func advance(_ advance: TimeAdvance) throws -> Bool {
        let flushedBefore = flushes.batches
        var output = Batch<Output>()
        try function.advance(advance, &output, flush)
        if !output.isEmpty {
            try downstream.receive(output)
            return true
        }
        return flushes.batches != flushedBefore
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

/// How many batches an `OperatorReceiver`'s flush has sent: a box, as the flush's closure is made
/// before the receiver is.
private final class FlushCount {
    var batches = 0
}
