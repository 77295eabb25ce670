import SluiceCore
import SluiceConnectors
import SluiceOperators
import SluiceRuntime

/// A typed stream of records in a pipeline definition.
///
/// Stateless steps (`map`, `filter`, `compactMap`, `flatMap`) run fused in the instances of
/// the step before them: no queue, no thread hop. `keyed(by:)` leads to the stateful steps.
public struct DataStream<Record> {
    @usableFromInline let graph: LogicalGraph
    @usableFromInline let node: TypedNode<Record>

    @usableFromInline
    init(graph: LogicalGraph, node: TypedNode<Record>) {
        self.graph = graph
        self.node = node
    }

    /// Transforms every record.
    ///
    /// ```swift
    /// bids.map { Dollars(auction: $0.auction, dollars: Double($0.price) / 100) }
    /// ```
    ///
    /// `transform` takes its record (`consuming`): fields it moves into the result (strings,
    /// arrays) are not copied. A function of type `(Record) -> Result` is accepted as well.
    @inlinable
    public func map<Result>(_ transform: @escaping @Sendable (consuming Record) throws -> Result) -> DataStream<Result> {
        fused("map") { .of(MapOperator(transform)) }
    }

    /// Keeps the records for which `isIncluded` is true.
    @inlinable
    public func filter(_ isIncluded: @escaping @Sendable (Record) throws -> Bool) -> DataStream<Record> {
        fused("filter") { .of(FilterOperator(isIncluded)) }
    }

    /// Transforms every record and drops the nil results.
    ///
    /// Unlike `map`'s, `transform` borrows its record: a `compactMap` often selects a few records
    /// of a stream that other steps read too (one kind of event among several), and taking each
    /// record from storage that others share would copy every record, where borrowing copies only
    /// what is returned.
    @inlinable
    public func compactMap<Result>(_ transform: @escaping @Sendable (Record) throws -> Result?) -> DataStream<Result> {
        fused("compactMap") { .of(CompactMapOperator(transform)) }
    }

    /// Replaces every record with zero or more records.
    @inlinable
    public func flatMap<Results: Sequence>(_ transform: @escaping @Sendable (Record) throws -> Results) -> DataStream<Results.Element> {
        fused("flatMap") { .of(FlatMapOperator(transform)) }
    }

    /// Takes each record's event time (epoch ms) from `time` and generates watermarks that
    /// trail the largest time seen by `maxOutOfOrderness`: records up to that late are on time.
    ///
    /// ```swift
    /// bids.withEventTime(\.dateTime, maxOutOfOrderness: .seconds(2))
    /// ```
    /// - Parameters:
    ///   - idleTimeout: after this long without records (processing time) an instance stops
    ///     holding the watermark back, until its next record.
    ///   - alignment: pauses instances that run too far ahead of the slowest in event time (see
    ///     ``WatermarkAlignment``). Only fused steps may lie between the source and this step.
    @inlinable
    public func withEventTime(_ time: @escaping @Sendable (Record) -> EventTime, maxOutOfOrderness: Duration = .zero,
                              idleTimeout: Duration? = nil, alignment: WatermarkAlignment? = nil) -> DataStream<Record> {
        DataStream(graph: graph, node: graph.add(EventTimeNode(
            input: node, stamp: EventTimeAssigner.stamper(time), maxOutOfOrderness: maxOutOfOrderness.milliseconds,
            idleTimeout: idleTimeout?.milliseconds, alignment: alignment)))
    }

    /// Takes each record's event time from the field at `keyPath`.
    @inlinable
    public func withEventTime(_ keyPath: KeyPath<Record, EventTime>, maxOutOfOrderness: Duration = .zero,
                              idleTimeout: Duration? = nil, alignment: WatermarkAlignment? = nil) -> DataStream<Record> {
        withEventTime(FieldAccess.reader(keyPath), maxOutOfOrderness: maxOutOfOrderness, idleTimeout: idleTimeout,
                      alignment: alignment)
    }

    /// The records of this stream and of `others`, interleaved.
    public func merge(_ others: DataStream<Record>...) -> DataStream<Record> {
        let inputs = [node] + others.map(\.node)
        return DataStream(graph: graph, node: graph.add(OperatorNode(
            label: "merge", inputs: inputs, exchange: .forward, keepsInputParallelism: false) { .identity }))
    }

    /// Spreads batches evenly over the next step's instances (after a skewed or single source).
    public func rebalance() -> DataStream<Record> {
        exchanged("rebalance", .rebalance)
    }

    /// Sends every record to every instance of the next step.
    public func broadcast() -> DataStream<Record> {
        exchanged("broadcast", .broadcast)
    }

    /// Partitions the stream by a key: records with equal keys meet in the same instance,
    /// where keyed state lives.
    @inlinable
    public func keyed<Key: PartitionKey>(by key: @escaping @Sendable (Record) -> Key) -> KeyedStream<Key, Record> {
        KeyedStream(stream: self, key: key)
    }

    /// Partitions the stream by the key at `keyPath`.
    @inlinable
    public func keyed<Key: PartitionKey>(by keyPath: KeyPath<Record, Key>) -> KeyedStream<Key, Record> {
        KeyedStream(stream: self, keyPath: keyPath)
    }

    /// Takes a stream that is partitioned by `key` already as keyed, as Flink's
    /// `reinterpretAsKeyedStream`: the keyed step that follows reads each instance's records
    /// where they are, with no exchange and no thread hop.
    ///
    /// The stream must come from a keyed step (or stateless steps after one) whose key is the
    /// same as `key` for every record: a join's results keyed again by the join key, say.
    ///
    /// ```swift
    /// candidates.reinterpretAsKeyed(by: \.auction).process(id: "winners", initialState: 0) { … }
    /// ```
    /// Each record's key group is checked against its instance's: a record that belongs to
    /// another instance stops the pipeline with an error naming it. Joins re-partition their
    /// inputs whatever this says.
    @inlinable
    public func reinterpretAsKeyed<Key: PartitionKey>(by key: @escaping @Sendable (Record) -> Key) -> KeyedStream<Key, Record> {
        KeyedStream(stream: self, key: key, isAlreadyKeyed: true)
    }

    /// Takes a stream partitioned by the key at `keyPath` already as keyed (see `reinterpretAsKeyed(by:)`).
    @inlinable
    public func reinterpretAsKeyed<Key: PartitionKey>(by keyPath: KeyPath<Record, Key>) -> KeyedStream<Key, Record> {
        KeyedStream(stream: self, keyPath: keyPath, isAlreadyKeyed: true)
    }

    /// Writes the stream to the sink `name`, bound with `--output name=URI`.
    public func sink(_ name: String, format: SinkFormat<Record>) {
        graph.claimOperatorID(name, kind: "sink")
        _ = graph.add(SinkNode(name: name, input: node, format: format))
    }

    /// Counts the stream's records and drops them (as Flink's discarding sink does).
    public func discard() {
        _ = graph.add(DiscardSinkNode(input: node))
    }

    /// Gathers the stream's records in memory (for tests and examples).
    public func collect(into results: CollectedRecords<Record>) {
        _ = graph.add(CollectSinkNode(input: node, results: results))
    }

    @usableFromInline
    func fused<Output>(_ label: String, _ make: @escaping () -> BatchFunction<Record, Output>) -> DataStream<Output> {
        DataStream<Output>(graph: graph, node: graph.add(OperatorNode(
            label: label, inputs: [node], exchange: .forward, keepsInputParallelism: true, makeFunction: make)))
    }

    private func exchanged(_ label: String, _ exchange: Exchange<Record>) -> DataStream<Record> {
        DataStream(graph: graph, node: graph.add(OperatorNode(
            label: label, inputs: [node], exchange: exchange, keepsInputParallelism: false) { .identity }))
    }
}
