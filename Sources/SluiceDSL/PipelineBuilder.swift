import SluiceCore
import SluiceConnectors

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
    let graph: LogicalGraph

    public init() {
        graph = LogicalGraph()
    }

    /// A source named `name`, bound on the command line with `--input name=URI`.
    public func source<Record>(_ name: String, format: SourceFormat<Record>) -> DataStream<Record> {
        graph.claimOperatorID(name, kind: "source")
        return DataStream(graph: graph, node: graph.add(SourceNode(name: name, format: format)))
    }

    /// A source of records held in memory (for tests and examples).
    public func source<Record>(elements: [Record]) -> DataStream<Record> {
        DataStream(graph: graph, node: graph.add(CollectionSourceNode(records: elements)))
    }

    /// The names of the sources, in definition order.
    public var sourceNames: [String] { graph.sourceNames }
    /// The names of the sinks, in definition order.
    public var sinkNames: [String] { graph.sinkNames }
}
