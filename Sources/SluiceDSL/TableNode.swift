import SluiceCore
import SluiceConnectors
import SluiceOperators
import SluiceRuntime

/// A table read whole before the pipeline starts, from `--input NAME=FILE`: the latest row of
/// each key (later lines replace earlier ones), joined with streams by `joinTable`.
@usableFromInline
final class TableNode<Key: PartitionKey, Row>: LogicalNode, NamedEndpointNode {
    let name: String
    let format: SourceFormat<Row>
    @usableFromInline let key: (Row) -> Key
    /// Filled when the plan is resolved, before any instance starts.
    private(set) var rows: [(Key, Row)] = []

    @usableFromInline
    init(name: String, format: SourceFormat<Row>, key: @escaping (Row) -> Key) {
        self.name = name
        self.format = format
        self.key = key
        super.init(label: "table \(name)")
    }

    var sourceName: String? { name }
    var sinkName: String? { nil }

    override func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int {
        guard let uri = builder.options.inputs[name] else {
            throw UsageError("no input bound to table \"\(name)\": pass --input \(name)=FILE")
        }
        guard case .files = try InputEndpoint.parse(uri) else {
            throw UsageError("table \"\(name)\" is loaded at start: bind it to a file or directory, not \(uri)")
        }
        let files = try InputEndpoint.parse(uri).listFiles()
        let loaded = CollectedRecords<Row>()
        // Read on this thread, with the pipeline's bad-record policy, before anything runs.
        let input = try FileInput(files: files, instance: 0, of: 1, follow: false, expectsHeader: format.expectsHeader,
                                  maxLineBytes: builder.options.maxLineBytes, context: builder.context)
        try SourceRunner(input: input, format: format, badRecords: builder.badRecords, context: builder.context,
                         downstream: CollectingSink(into: loaded), recordsIn: Counter()).run()
        rows = loaded.records.map { (key($0), $0) }
        return 1
    }
}

/// A table loaded at start (see `PipelineBuilder.table(_:format:key:)`).
public struct LoadedTable<Key: PartitionKey, Row> {
    @usableFromInline let node: TableNode<Key, Row>

    @usableFromInline
    init(node: TableNode<Key, Row>) {
        self.node = node
    }
}

extension PipelineBuilder {
    /// A table read whole from `--input name=FILE` before the pipeline starts; each key keeps
    /// its last row. Join a keyed stream with it using `joinTable`.
    @inlinable
    public func table<Key: PartitionKey, Row>(_ name: String, format: SourceFormat<Row>,
                                             key: @escaping @Sendable (Row) -> Key) -> LoadedTable<Key, Row> {
        graph.claimOperatorID(name, kind: "source")
        return LoadedTable(node: graph.add(TableNode(name: name, format: format, key: key)))
    }
}

extension KeyedStream {
    /// Joins each record with its key's row in a table loaded at start (`.leftOuter` passes
    /// records whose key has no row, with nil).
    @inlinable
    public func joinTable<Row, Output>(
        _ table: LoadedTable<Key, Row>, kind: StreamTableJoinOperator<Key, Record, Row, Output>.Kind = .inner, id: String,
        _ join: @escaping @Sendable (Record, Row?) throws -> Output?
    ) -> DataStream<Output> {
        let (recordKey, tableNode) = (key, table.node)
        let rowKey = tableNode.key
        let tagged = stream.fused("\(stream.node.label) as left") { .of(MapOperator { JoinInput<Record, Row>.left($0) }) }
        return DataStream(graph: stream.graph, node: tagged.node).keyed { (input: JoinInput<Record, Row>) -> Key in
            if case .left(let record) = input { return recordKey(record) }
            preconditionFailure("a loaded table has no changelog input")
        }.keyedStep(id) {
            let joinOperator = StreamTableJoinOperator(kind: kind, recordKey: recordKey, rowKey: rowKey,
                                                       initialTable: tableNode.loadedRows, join: join)
            return StreamTableJoinOperator<Key, Record, Row, Output>.isSnapshotable
                ? .of(joinOperator, snapshot: { $0.snapshot() }, restore: { try $0.restore($1) })
                : .of(joinOperator)
        }
    }
}

extension TableNode {
    /// The rows read at start.
    @usableFromInline var loadedRows: [(Key, Row)] { rows }
}
