import SluiceCore
import SluiceConnectors
import SluiceRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A named sink bound by `--output NAME=URI`. A directory gets one part file per instance of
/// the input; a file, stdout or socket gets one writer fed by all input instances.
final class SinkNode<Record>: LogicalNode, NamedEndpointNode {
    let name: String
    let input: TypedNode<Record>
    let format: SinkFormat<Record>
    private var endpoint: OutputEndpoint = .stdout
    private var fused = false

    init(name: String, input: TypedNode<Record>, format: SinkFormat<Record>) {
        self.name = name
        self.input = input
        self.format = format
        super.init(label: "sink \(name)")
    }

    var sourceName: String? { nil }
    var sinkName: String? { name }
    override var upstream: [LogicalNode] { [input] }
    override var connection: String { fused ? "fused" : "forward" }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        guard let uri = builder.options.outputs[name] else {
            throw UsageError("no output bound to sink \"\(name)\": pass --output \(name)=URI")
        }
        endpoint = try OutputEndpoint.parse(uri)
        let p: Int
        if case .directory = endpoint { p = input.parallelism } else { p = 1 }
        fused = p == input.parallelism
        return p
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        var receivers: [any BatchReceiver<Record>] = []
        let committed = builder.restore?.sinkStates[name] ?? [:]
        for instance in 0..<parallelism {
            let target: any OutputTarget
            switch endpoint {
            case .file(let path): target = try FileTarget(path: path, resumingAt: committed[instance]?.committedBytes)
            case .stdout: target = FileTarget(stdout: ())
            case .connect(let address): target = SocketTarget(address: address)
            case .directory(let path):
                try makeDirectory(path)
                let separator = path.hasSuffix("/") ? "" : "/"
                target = try FileTarget(path: "\(path)\(separator)part-\(instance)", resumingAt: committed[instance]?.committedBytes)
            }
            let checkpointed = builder.checkpointing.map { coordinator in
                let (sink, context) = (name, builder.context)
                return (finished: { (path: String, bytes: Int64) in
                            coordinator.sinkFinished(sink: sink, instance: instance, path: path, bytes: bytes) },
                        dropUncommitted: { context.isStopping && !context.isFailed })
            }
            receivers.append(LineSink(format: format, target: target, recordsOut: builder.sinkCounter(),
                                      identity: (name, instance), checkpointed: checkpointed))
        }
        // Part files of instances a resumed run no longer has keep their committed output only.
        for (instance, state) in committed where instance >= parallelism {
            try FileTarget(path: state.path, resumingAt: state.committedBytes).close()
        }
        if fused {
            for (instance, receiver) in receivers.enumerated() { input.outputs[instance].connect(receiver) }
        } else {
            builder.connectThroughExchange([input], exchange: .forward, receivers: receivers, label: label)
        }
    }
}

/// A sink that collects records in memory, for tests: one instance fed by all input instances.
final class CollectSinkNode<Record>: LogicalNode {
    let input: TypedNode<Record>
    let results: CollectedRecords<Record>

    init(input: TypedNode<Record>, results: CollectedRecords<Record>) {
        self.input = input
        self.results = results
        super.init(label: "collect")
    }

    override var upstream: [LogicalNode] { [input] }
    override var connection: String { "forward" }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        let sink = CollectingSink(into: results)
        builder.connectThroughExchange([input], exchange: .forward, receivers: [sink], label: label)
    }
}

/// Creates `path` if it does not exist yet.
private func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST {
        throw PipelineError("cannot create output directory \(path): \(String(cString: strerror(errno)))")
    }
}

/// A sink that counts records and drops them (like Flink's discarding sink): for benchmarks,
/// and for steps whose effect is elsewhere. Fused into its input's instances.
@usableFromInline
final class DiscardSinkNode<Record>: LogicalNode {
    let input: TypedNode<Record>
    /// Counts into the run's late-record count (records no late-data output took).
    let countsLateRecords: Bool

    @usableFromInline
    init(input: TypedNode<Record>, countsLateRecords: Bool = false) {
        self.input = input
        self.countsLateRecords = countsLateRecords
        super.init(label: countsLateRecords ? "late records" : "discard")
    }

    override var upstream: [LogicalNode] { [input] }
    override var connection: String { "fused" }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        input.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        let counter = countsLateRecords ? builder.lateRecords : nil
        for output in input.outputs { output.connect(CountingSink<Record>(count: counter ?? builder.sinkCounter())) }
    }
}
