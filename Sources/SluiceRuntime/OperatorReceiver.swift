import SluiceCore

/// Runs a `BatchOperator` inside a fused chain: feeds it what arrives and pushes its results on.
public final class OperatorReceiver<Operator: BatchOperator>: BatchReceiver {
    private var op: Operator
    private let downstream: any BatchReceiver<Operator.Output>

    public init(_ op: Operator, downstream: any BatchReceiver<Operator.Output>) {
        self.op = op
        self.downstream = downstream
    }

    public func receive(_ batch: Batch<Operator.Input>) throws {
        var output = Batch<Operator.Output>(capacity: batch.count)
        try op.process(batch, into: &output)
        if !output.isEmpty { try downstream.receive(output) }
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        var output = Batch<Operator.Output>()
        try op.onWatermark(watermark, into: &output)
        if !output.isEmpty { try downstream.receive(output) }
        try downstream.receiveWatermark(watermark)
    }

    public func receiveIdle(_ idle: Bool) throws {
        try downstream.receiveIdle(idle)
    }

    public func tick(_ now: Int64) throws {
        var output = Batch<Operator.Output>()
        try op.onProcessingTime(now, into: &output)
        if !output.isEmpty { try downstream.receive(output) }
        try downstream.tick(now)
    }

    public func finish() throws {
        var output = Batch<Operator.Output>()
        try op.onEnd(into: &output)
        if !output.isEmpty { try downstream.receive(output) }
        try downstream.finish()
    }
}
