import SluiceCore
import SluiceRuntime

/// Assigns event times and generates watermarks, fused into its input's instances (so each
/// source instance, or file range, has its own watermark, as in Flink).
@usableFromInline
final class EventTimeNode<Record>: TypedNode<Record> {
    let input: TypedNode<Record>
    let stamp: (inout Batch<Record>) -> EventTime
    let maxOutOfOrderness: Int64
    let idleTimeout: Int64?

    @usableFromInline
    init(input: TypedNode<Record>, stamp: @escaping (inout Batch<Record>) -> EventTime, maxOutOfOrderness: Int64, idleTimeout: Int64?) {
        self.input = input
        self.stamp = stamp
        self.maxOutOfOrderness = maxOutOfOrderness
        self.idleTimeout = idleTimeout
        super.init(label: "eventTime")
    }

    override var upstream: [LogicalNode] { [input] }
    override var connection: String { "fused" }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        input.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        for (instance, output) in outputs.enumerated() {
            input.outputs[instance].connect(EventTimeAssigner(stamp: stamp, maxOutOfOrderness: maxOutOfOrderness,
                                                              idleTimeout: idleTimeout, downstream: output))
        }
    }
}
