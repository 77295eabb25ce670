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
    let alignment: WatermarkAlignment?
    /// The alignment group of this run, set when the plan is resolved.
    private var group: WatermarkAlignmentGroup?

    @usableFromInline
    init(input: TypedNode<Record>, stamp: @escaping (inout Batch<Record>) -> EventTime, maxOutOfOrderness: Int64, idleTimeout: Int64?,
         alignment: WatermarkAlignment? = nil) {
        self.input = input
        self.stamp = stamp
        self.maxOutOfOrderness = maxOutOfOrderness
        self.idleTimeout = idleTimeout
        self.alignment = alignment
        super.init(label: "eventTime")
    }

    override var upstream: [LogicalNode] { [input] }
    override var connection: String { "fused" }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        if let alignment {
            guard let source = sourceOfChain else {
                throw UsageError("watermark alignment group \"\(alignment.group)\": event time must be assigned on the source's instances (before any keyed or rebalancing step), where waiting pauses the reading")
            }
            // Two aligned assigners on one thread could each wait for the other to move on.
            guard builder.claimAlignedSource(source.id) else {
                throw UsageError("watermark alignment group \"\(alignment.group)\": \(source.label) already has an aligned withEventTime; a source's records can be aligned by one only")
            }
            group = try builder.alignmentGroup(alignment)
        }
        return input.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        for (instance, output) in outputs.enumerated() {
            input.outputs[instance].connect(EventTimeAssigner(stamp: stamp, maxOutOfOrderness: maxOutOfOrderness,
                                                              idleTimeout: idleTimeout,
                                                              alignment: group.map { ($0, $0.join()) }, downstream: output))
        }
    }

    /// The source whose threads run this node: the one reached through fused steps only (nil if
    /// an exchange comes first).
    private var sourceOfChain: LogicalNode? {
        input.chainStart.flatMap { $0.connection == "source" ? $0 : nil }
    }
}
