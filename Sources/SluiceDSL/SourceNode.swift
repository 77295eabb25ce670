import SluiceCore
import SluiceConnectors
import SluiceRuntime
#if canImport(Glibc)
import Glibc
#endif

/// A named source bound by `--input NAME=URI`: files are split over `parallelism` instances,
/// stdin and sockets are read by one.
final class SourceNode<Record>: TypedNode<Record>, NamedEndpointNode {
    let name: String
    let format: SourceFormat<Record>
    /// The most instances that read files at once (nil: the pipeline's parallelism).
    let maxParallelism: Int?
    private var endpoint: InputEndpoint = .stdin
    private var files: [String] = []

    init(name: String, format: SourceFormat<Record>, maxParallelism: Int? = nil) {
        self.name = name
        self.format = format
        self.maxParallelism = maxParallelism
        super.init(label: "source \(name)")
    }

    var sourceName: String? { name }
    var sinkName: String? { nil }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        guard let uri = builder.options.inputs[name] else {
            throw UsageError("no input bound to source \"\(name)\": pass --input \(name)=URI")
        }
        endpoint = try InputEndpoint.parse(uri)
        guard case .files = endpoint else { return 1 }
        files = try endpoint.listFiles()
        if files.isEmpty, case .files(let path) = endpoint {
            Diagnostics.warning("input directory \(path) has no files")
        }
        if builder.restore == nil && !builder.options.follow {
            for file in files where fileSize(file) == 0 { Diagnostics.warning("input file \(file) is empty") }
        }
        return builder.options.follow ? 1 : min(builder.parallelism, max(1, maxParallelism ?? builder.parallelism))
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let context = builder.context
        let options = builder.options
        var shares: [[FileSegment]] = []
        if case .files = endpoint {
            shares = try builder.restore?.sourceSegments[name].map { SegmentDistribution.distribute($0, over: parallelism, files: files) }
                ?? FileInput.shares(files: files, instances: parallelism, follow: options.follow)
        }
        for instance in 0..<parallelism {
            let input: any LineInput
            switch endpoint {
            case .files:
                input = FileInput(segments: shares[instance], follow: options.follow, expectsHeader: format.expectsHeader,
                                  maxLineBytes: options.maxLineBytes, context: context)
            case .stdin:
                input = StreamInput(origin: .stdin, follow: options.follow, maxLineBytes: options.maxLineBytes, context: context)
            case .connect(let address):
                input = StreamInput(origin: .connect(address), follow: options.follow, maxLineBytes: options.maxLineBytes, context: context)
            case .listen(let address, let producers):
                input = try ListenInput(address: address, expectedProducers: producers, follow: options.follow,
                                        maxLineBytes: options.maxLineBytes, context: context)
            }
            let runner = SourceRunner(input: input, format: format, badRecords: builder.badRecords,
                                      context: context, downstream: outputs[instance], batchSize: options.batchSize,
                                      recordsIn: builder.sourceCounter(), checkpointing: builder.checkpointing,
                                      identity: (name, instance, builder.nextChain))
            builder.addTask("src \(name)#\(instance)") { try runner.run() }
        }
    }
}

/// A source that computes its records: record `n` for `n` in `0..<count`, spread over the
/// instances in runs (`GeneratedSpread`), as benchmark generators run inside the engine; also
/// the source of records held in memory (one instance).
/// Its checkpoint position is the next record number of each instance.
@usableFromInline
final class GeneratedSourceNode<Record>: TypedNode<Record>, NamedEndpointNode {
    /// Makes the records of an instance from `first`, below `end`, at most `limit` of them, and
    /// returns them with the number to start from next.
    @usableFromInline typealias MakeBatch = (_ first: Int, _ end: Int, _ limit: Int, _ spread: GeneratedSpread)
        -> (batch: Batch<Record>, next: Int)

    let count: Int
    let runLength: Int
    let fixedParallelism: Int?
    /// Called once by each instance, on the instance's own thread: what it returns (and any
    /// state it captures) belongs to that instance alone.
    let makeInstanceBatcher: () -> MakeBatch

    @usableFromInline
    init(label: String, count: Int, runLength: Int = 1, fixedParallelism: Int? = nil,
         makeInstanceBatcher: @escaping () -> MakeBatch) {
        self.count = count
        self.runLength = runLength
        self.fixedParallelism = fixedParallelism
        self.makeInstanceBatcher = makeInstanceBatcher
        super.init(label: label)
    }

    /// The name under which checkpoints record this source's position.
    var positionName: String { "\(label)#\(id)" }
    var sourceName: String? { nil }
    var sinkName: String? { nil }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        fixedParallelism ?? builder.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let (count, batchSize, makeInstanceBatcher, context) = (count, builder.options.batchSize, makeInstanceBatcher, builder.context)
        let spread = GeneratedSpread(runLength: runLength, parallelism: parallelism)
        let name = positionName
        var resumed = builder.restore?.generatedOffsets[name]
        if resumed == nil, builder.restore?.sourceSegments[name] != nil {
            // Every instance had finished when the checkpoint was taken.
            resumed = [:]
        }
        if let resumed, !resumed.isEmpty, resumed.count != parallelism {
            throw UsageError("\(label) was checkpointed with parallelism \(resumed.count); a generated source resumes only at the same parallelism")
        }
        for instance in 0..<parallelism {
            let output = outputs[instance]
            let counter = builder.sourceCounter()
            let checkpointing = builder.checkpointing
            let chain = builder.nextChain
            builder.addTask("\(label)#\(instance)") {
                let makeBatch = makeInstanceBatcher()
                var next = resumed.map { Int($0[instance] ?? Int64(count)) } ?? spread.first(of: instance)
                var injected: Int64 = 0
                var nextTick = monotonicNanos()
                func injectBarrierIfDue() throws {
                    for checkpoint in checkpointing?.injector.pending(after: injected) ?? [] {
                        injected = checkpoint.checkpointID
                        checkpoint.addSourceOffset(source: name, instance: instance, next: Int64(next))
                        try output.receiveBarrier(checkpoint)
                        checkpoint.chainDone(chain: chain)
                    }
                }
                while next < count && !context.isStopping {
                    let (batch, following) = makeBatch(next, count, batchSize, spread)
                    next = following
                    counter.add(batch.count)
                    try output.receive(consume batch)
                    try injectBarrierIfDue()
                    if monotonicNanos() >= nextTick {
                        nextTick = monotonicNanos() + GateReader<Record>.tickNanos
                        try output.tick(ProcessingClock.system.now())
                    }
                }
                guard !context.isFailed else { return }
                try injectBarrierIfDue()
                if next >= count { checkpointing?.sourceFinished(source: name, instance: instance) }
                try output.finish()
            }
        }
    }
}

/// The size of a file in bytes (0 when it cannot be read; opening it reports why).
private func fileSize(_ path: String) -> Int64 {
    var info = stat()
    return stat(path, &info) == 0 ? Int64(info.st_size) : 0
}
