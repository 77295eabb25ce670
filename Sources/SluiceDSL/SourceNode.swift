import SluiceCore
import SluiceConnectors
import SluiceRuntime

/// A named source bound by `--input NAME=URI`: files are split over `parallelism` instances,
/// stdin and sockets are read by one.
final class SourceNode<Record>: TypedNode<Record>, NamedEndpointNode {
    let name: String
    let format: SourceFormat<Record>
    private var endpoint: InputEndpoint = .stdin
    private var files: [String] = []

    init(name: String, format: SourceFormat<Record>) {
        self.name = name
        self.format = format
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
        return builder.options.follow ? 1 : builder.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let context = builder.context
        let options = builder.options
        for instance in 0..<parallelism {
            let input: any LineInput
            switch endpoint {
            case .files:
                input = FileInput(files: files, instance: instance, of: parallelism, follow: options.follow,
                                  expectsHeader: format.expectsHeader, maxLineBytes: options.maxLineBytes, context: context)
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
                                      recordsIn: builder.sourceCounter())
            builder.addTask("src \(name)#\(instance)") { try runner.run() }
        }
    }
}

/// A source of records held in memory, for tests and examples: one instance.
final class CollectionSourceNode<Record>: TypedNode<Record> {
    let records: [Record]

    init(records: [Record]) {
        self.records = records
        super.init(label: "collection")
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let output = outputs[0]
        let records = records
        let batchSize = builder.options.batchSize
        let counter = builder.sourceCounter()
        let context = builder.context
        builder.addTask("collection") {
            var start = 0
            while start < records.count && !context.isStopping {
                let end = min(start + batchSize, records.count)
                var batch = Batch<Record>(capacity: end - start)
                for record in records[start..<end] { batch.append(record, time: .noTime) }
                counter.add(batch.count)
                try output.receive(batch)
                start = end
            }
            try output.finish()
        }
    }
}

/// A source that computes its records: record `n` for `n` in `0..<count`, spread over the
/// pipeline's instances (instance `i` makes `i`, `i + p`, `i + 2p`, …), as benchmark
/// generators run inside the engine.
@usableFromInline
final class GeneratedSourceNode<Record>: TypedNode<Record> {
    let count: Int
    let makeBatch: (_ first: Int, _ stride: Int, _ end: Int, _ limit: Int) -> Batch<Record>

    @usableFromInline
    init(label: String, count: Int, makeBatch: @escaping (Int, Int, Int, Int) -> Batch<Record>) {
        self.count = count
        self.makeBatch = makeBatch
        super.init(label: label)
    }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        builder.parallelism
    }

    override func instantiate(_ builder: ExecutionBuilder) throws {
        makeOutputs(builder)
        let (count, stride, batchSize, makeBatch, context) = (count, parallelism, builder.options.batchSize, makeBatch, builder.context)
        for instance in 0..<parallelism {
            let output = outputs[instance]
            let counter = builder.sourceCounter()
            builder.addTask("\(label)#\(instance)") {
                var next = instance
                var nextTick = monotonicNanos()
                while next < count && !context.isStopping {
                    let batch = makeBatch(next, stride, count, batchSize)
                    next += batch.count * stride
                    counter.add(batch.count)
                    try output.receive(batch)
                    if monotonicNanos() >= nextTick {
                        nextTick = monotonicNanos() + GateReader<Record>.tickNanos
                        try output.tick(ProcessingClock.system.now())
                    }
                }
                try output.finish()
            }
        }
    }
}
