import SluiceCore
import SluiceRuntime

/// A node that runs a `BatchOperator` per instance, fed through an exchange or fused into
/// its input's instances.
final class OperatorNode<Operator: BatchOperator>: TypedNode<Operator.Output> {
    let inputs: [TypedNode<Operator.Input>]
    let exchange: Exchange<Operator.Input>
    let makeOperator: () -> Operator
    /// Stateless steps keep their input's parallelism; others (keyed, merge) use the pipeline's.
    let keepsInputParallelism: Bool
    private var fused = false

    init(label: String, inputs: [TypedNode<Operator.Input>], exchange: Exchange<Operator.Input>,
         keepsInputParallelism: Bool, makeOperator: @escaping () -> Operator) {
        precondition(!inputs.isEmpty)
        self.inputs = inputs
        self.exchange = exchange
        self.keepsInputParallelism = keepsInputParallelism
        self.makeOperator = makeOperator
        super.init(label: label)
    }

    override var upstream: [LogicalNode] { inputs }

    override var connection: String { fused ? "fused" : exchange.name }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        let p = keepsInputParallelism && inputs.count == 1 ? inputs[0].parallelism : builder.parallelism
        if case .forward = exchange, inputs.count == 1, inputs[0].parallelism == p { fused = true }
        return p
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let receivers: [any BatchReceiver<Operator.Input>] = outputs.map { OperatorReceiver(makeOperator(), downstream: $0) }
        if fused {
            for (instance, receiver) in receivers.enumerated() { inputs[0].outputs[instance].connect(receiver) }
        } else {
            builder.connectThroughExchange(inputs, exchange: exchange, receivers: receivers, label: label)
        }
    }
}

/// Passes records through unchanged: the operator of merge, rebalance and broadcast steps.
struct IdentityOperator<Record>: BatchOperator {
    func process(_ batch: Batch<Record>, into output: inout Batch<Record>) {
        output = batch
    }
}
