import SluiceCore
import SluiceRuntime

/// A node that runs an operator per instance, fed through an exchange or fused into its
/// input's instances. `makeFunction` is built by inlinable DSL code, so the operator's
/// per-record work is compiled with the pipeline's types (see `BatchFunction`).
@usableFromInline
final class OperatorNode<Input, Output>: TypedNode<Output> {
    let inputs: [TypedNode<Input>]
    let exchange: Exchange<Input>
    let makeFunction: () -> BatchFunction<Input, Output>
    /// Stateless steps keep their input's parallelism; others (keyed, merge) use the pipeline's.
    let keepsInputParallelism: Bool
    /// Keeps state per key: with checkpoints it must be able to save it.
    let isStateful: Bool
    private var fused = false

    @usableFromInline
    init(label: String, inputs: [TypedNode<Input>], exchange: Exchange<Input>,
         keepsInputParallelism: Bool, isStateful: Bool = false, makeFunction: @escaping () -> BatchFunction<Input, Output>) {
        precondition(!inputs.isEmpty)
        self.inputs = inputs
        self.exchange = exchange
        self.keepsInputParallelism = keepsInputParallelism
        self.isStateful = isStateful
        self.makeFunction = makeFunction
        super.init(label: label)
    }

    override var upstream: [LogicalNode] { inputs }

    override var connection: String { fused ? "fused" : exchange.name }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        let p = keepsInputParallelism && inputs.count == 1 ? inputs[0].parallelism : builder.parallelism
        if case .forward = exchange, inputs.count == 1, inputs[0].parallelism == p { fused = true }
        if case .alreadyKeyed = exchange {
            guard inputs.count == 1, inputs[0].parallelism == p, inputs[0].isKeyedOutput else {
                throw UsageError("step \"\(label)\" takes its input as already keyed (reinterpretAsKeyed), but the input is not the output of a keyed step (or steps fused after one) at the pipeline's parallelism: use keyed(by:)")
            }
            fused = true
        }
        return p
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        var receivers: [any BatchReceiver<Input>] = []
        for (instance, output) in outputs.enumerated() {
            let function = makeFunction()
            if isStateful && function.snapshot == nil && builder.checkpointing != nil {
                throw UsageError("step \"\(label)\" keeps state that checkpoints cannot save yet (its key, state, accumulators and buffered records must be Codable): make them Codable or run without --checkpoint-dir")
            }
            let keyGroups = builder.keyGroups.range(instance: instance, of: parallelism)
            if let restore = function.restore,
               let saved = try builder.restore?.state(of: label, keyGroups: keyGroups, map: builder.keyGroups) {
                do {
                    try restore(saved)
                } catch {
                    throw PipelineError("cannot restore the state of \(label) from checkpoint \(builder.restore!.checkpointID): \(error)")
                }
            }
            let receiver = OperatorReceiver(function, downstream: output,
                                            identity: (operatorID: label, instance: instance, keyGroups: keyGroups),
                                            flushBatchSize: 4 * builder.options.batchSize)
            if case .alreadyKeyed(let findStranger) = exchange {
                receivers.append(KeyOwnershipCheck(findStranger: findStranger, keyGroups: builder.keyGroups, owned: keyGroups,
                                                   step: label, instance: instance, downstream: receiver))
            } else {
                receivers.append(receiver)
            }
        }
        if fused {
            for (instance, receiver) in receivers.enumerated() { inputs[0].outputs[instance].connect(receiver) }
        } else {
            builder.connectThroughExchange(inputs, exchange: exchange, receivers: receivers, label: label)
        }
    }
}

extension BatchFunction where Input == Output {
    /// Passes batches through unchanged: the function of merge, rebalance and broadcast steps.
    @usableFromInline
    static var identity: BatchFunction {
        BatchFunction(process: { batch, output in output = batch })
    }
}
