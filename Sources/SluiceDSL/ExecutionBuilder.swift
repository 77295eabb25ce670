import SluiceCore
import SluiceConnectors
import SluiceRuntime

/// Turns the logical graph into running instances: it holds what the nodes need while they
/// instantiate (options, bindings, shared handlers) and collects the threads to start.
final class ExecutionBuilder {
    let parallelism: Int
    let options: RunOptions
    let context: ExecutionContext
    let badRecords: BadRecordHandler
    let keyGroups: KeyGroups
    private(set) var tasks: [(name: String, body: () throws -> Void)] = []
    private(set) var counters: [(label: String, counter: Counter)] = []
    private(set) var sourceCounters: [Counter] = []
    private(set) var sinkCounters: [Counter] = []
    private(set) var gates: [any GateMetrics] = []
    /// Watermark alignment groups by name.
    private(set) var alignmentGroups: [String: WatermarkAlignmentGroup] = [:]
    /// The sources whose records an aligned event-time step reads (node ids).
    private var alignedSources: Set<Int> = []
    /// Records too late for their windows or joins that no late-data output took.
    let lateRecords = Counter()
    /// Set when checkpoints are enabled.
    let checkpointing: CheckpointCoordinator?
    /// Set when resuming from a checkpoint.
    let restore: RestorePlan?

    init(options: RunOptions, context: ExecutionContext, badRecords: BadRecordHandler,
         checkpointing: CheckpointCoordinator? = nil, restore: RestorePlan? = nil) {
        self.parallelism = options.parallelism
        self.options = options
        self.context = context
        self.badRecords = badRecords
        self.keyGroups = KeyGroups(maxParallelism: options.maxParallelism)
        self.checkpointing = checkpointing
        self.restore = restore
    }

    /// The index the next task's chain gets (checkpoints count acknowledgements per chain).
    var nextChain: Int { tasks.count }

    func addTask(_ name: String, _ body: @escaping () throws -> Void) {
        tasks.append((name, body))
    }

    func counter(for label: String) -> Counter {
        let counter = Counter()
        counters.append((label, counter))
        return counter
    }

    /// The watermark alignment group `name`, made on first use; every use must give the same drift.
    func alignmentGroup(_ alignment: WatermarkAlignment) throws -> WatermarkAlignmentGroup {
        let drift = alignment.maxDrift.milliseconds
        if let group = alignmentGroups[alignment.group] {
            guard group.maxDrift == drift else {
                throw UsageError("watermark alignment group \"\(alignment.group)\" is given two maximum drifts (\(group.maxDrift) ms and \(drift) ms)")
            }
            return group
        }
        guard drift >= 0 else { throw UsageError("watermark alignment group \"\(alignment.group)\": the maximum drift must not be negative") }
        let group = WatermarkAlignmentGroup(maxDrift: drift, injector: checkpointing?.injector, context: context)
        context.register(group)
        alignmentGroups[alignment.group] = group
        return group
    }

    /// Records that an aligned event-time step reads source `node`; false if one does already.
    func claimAlignedSource(_ node: Int) -> Bool {
        alignedSources.insert(node).inserted
    }

    func sourceCounter() -> Counter {
        let counter = Counter()
        sourceCounters.append(counter)
        return counter
    }

    func sinkCounter() -> Counter {
        let counter = Counter()
        sinkCounters.append(counter)
        return counter
    }

    /// Wires `inputs` to `receivers` (one per instance) through bounded gates: each input
    /// instance gets an exchange writer, each receiver a thread reading its gate.
    func connectThroughExchange<Record>(_ inputs: [TypedNode<Record>], exchange: Exchange<Record>,
                                        receivers: [any BatchReceiver<Record>], label: String) {
        let producers = inputs.reduce(0) { $0 + $1.parallelism }
        let newGates = receivers.map { _ in InputGate<Record>(channels: producers, capacity: options.channelCapacity) }
        for gate in newGates {
            context.register(gate)
            gates.append(gate)
        }
        let timeout = options.exchangeBufferTimeout.nanoseconds
        let holding = timeout > 0 ? ExchangeHolding(records: options.batchSize, maxNanos: timeout) : .none
        var channel = 0
        for input in inputs {
            for output in input.outputs {
                output.connect(ExchangeWriter(gates: newGates, producer: channel, routing: exchange.routing(keyGroups),
                                              holding: holding))
                channel += 1
            }
        }
        for (instance, receiver) in receivers.enumerated() {
            let reader = GateReader(gate: newGates[instance], downstream: receiver,
                                    checkpoints: checkpointing?.injector.registry, chain: nextChain)
            addTask("\(label)#\(instance)") { try reader.run() }
        }
    }
}

/// What the progress line reads from a gate.
protocol GateMetrics: AnyObject {
    var blockedNanos: Counter { get }
}

extension InputGate: GateMetrics {}
