import SluiceCore
import SluiceConnectors
import SluiceRuntime

/// Where a pipeline is defined: declares its sources, from which streams grow.
///
/// ```swift
/// static func define(_ p: inout PipelineBuilder) throws {
///     p.source("bids", format: .jsonLines(Bid.self))
///         .filter { $0.price > 1_000 }
///         .sink("out", format: .jsonLines)
/// }
/// ```
public struct PipelineBuilder {
    @usableFromInline let graph: LogicalGraph

    public init() {
        graph = LogicalGraph()
    }

    /// A source named `name`, bound on the command line with `--input name=URI`.
    ///
    /// Files are split into byte ranges read by `--parallelism` instances at once. `parallelism`
    /// caps that: with 1, files are read in order by one instance, which matters when later
    /// steps wait for the watermark (sorting by event time, say) — instances reading far-apart
    /// parts of a file hold the watermark back for the earliest, and everything read ahead waits.
    public func source<Record>(_ name: String, format: SourceFormat<Record>, parallelism: Int? = nil) -> DataStream<Record> {
        graph.claimOperatorID(name, kind: "source")
        return DataStream(graph: graph, node: graph.add(SourceNode(name: name, format: format, maxParallelism: parallelism)))
    }

    /// A source of records held in memory (for tests and examples): one instance.
    @inlinable
    public func source<Record>(elements: [Record]) -> DataStream<Record> {
        let node = GeneratedSourceNode<Record>(label: "collection", count: elements.count, fixedParallelism: 1) {
            { first, end, limit, _ in
                let upper = min(end, first + limit)
                return (Batch(records: ContiguousArray(elements[first..<upper]),
                              times: ContiguousArray(repeating: .noTime, count: upper - first)), upper)
            }
        }
        return DataStream(graph: graph, node: graph.add(node))
    }

    /// A source that computes `count` records, `generate(n)` for each `n`, spread over the
    /// pipeline's instances (for benchmarks and load tests: the generator runs in the engine).
    ///
    /// Instances make runs of `runLength` consecutive numbers in turn (`runLength: 50` with two
    /// instances: 0–49 on the first, 50–99 on the second, 100–149 on the first, …); each makes
    /// its numbers in increasing order. Make a run the period of a generator whose records
    /// repeat a pattern, so that every instance gets the same mix.
    @inlinable
    public func source<Record>(_ name: String, count: Int, runLength: Int = 1,
                               generate: @escaping @Sendable (Int) -> Record) -> DataStream<Record> {
        source(name, count: count, runLength: runLength, generatorPerInstance: { generate })
    }

    /// A source like ``source(_:count:runLength:generate:)`` whose instances each make their own
    /// generating function: each instance calls `generatorPerInstance` once, on its own thread,
    /// before its first record, and calls only the function it got.
    ///
    /// Use it when generating touches memory that should not be shared between threads: a
    /// generator that hands out the same class instances or heap strings from every instance
    /// makes their reference counts, atomically updated from each core, bounce between the
    /// cores' caches. Each instance's copy lives in memory allocated by its own thread.
    @inlinable
    public func source<Record>(_ name: String, count: Int, runLength: Int = 1,
                               generatorPerInstance: @escaping @Sendable () -> (Int) -> Record) -> DataStream<Record> {
        graph.claimOperatorID(name, kind: "source")
        let node = GeneratedSourceNode<Record>(label: "source \(name)", count: count, runLength: runLength) {
            let generate = generatorPerInstance()
            return { first, end, limit, spread in
                var batch = Batch<Record>(capacity: limit)
                var n = first
                var runEnd = spread.runEnd(after: n)
                while n < end && batch.count < limit {
                    batch.append(generate(n), time: .noTime)
                    n += 1
                    if n == runEnd {
                        n += spread.gap
                        runEnd = n + spread.runLength
                    }
                }
                return (batch, n)
            }
        }
        return DataStream(graph: graph, node: graph.add(node))
    }

    /// The names of the sources, in definition order.
    public var sourceNames: [String] { graph.sourceNames }
    /// The names of the sinks, in definition order.
    public var sinkNames: [String] { graph.sinkNames }
}
