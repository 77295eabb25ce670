import SluiceCore
import SluiceOperators
import SluiceRuntime

/// Joins of two keyed streams on their key. Both sides meet in one keyed stage (each side
/// tagged as `JoinInput.left` or `.right`), whose watermark is the smaller of the two sides'.
/// Records too late to join are counted and reported when the pipeline ends. Checkpoints save a
/// join's state when its key and the records (or table rows) it keeps are Codable.
extension KeyedStream {
    /// Pairs records of both sides that fall in the same window; the pairs of a window are
    /// emitted when the watermark passes it, and its state is freed.
    ///
    /// ```swift
    /// persons.keyed(by: \.id).windowJoin(auctions.keyed(by: \.seller), window: .tumbling(.seconds(10)),
    ///                                    id: "new-sellers") { person, auction, window in … }
    /// ```
    @inlinable
    public func windowJoin<Other, Joined>(
        _ other: KeyedStream<Key, Other>, window: WindowAssigner, id: String,
        _ join: @escaping @Sendable (Record, Other, Window) throws -> Joined?
    ) -> DataStream<Joined> {
        let (leftKey, rightKey) = (key, other.key)
        let savable = WindowJoinOperator<Key, Record, Other, Joined>.isSnapshotable
        return joinStep(other, id: id) {
            .of(WindowJoinOperator(window: window, leftKey: leftKey, rightKey: rightKey, join: join),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
    }

    /// Pairs each record `a` with every record `b` of the other side whose time is in
    /// `[a.time + lower, a.time + upper]`, as soon as both have arrived; state is freed as the
    /// watermark passes the interval.
    ///
    /// `uniqueKeys` declares the sides whose key is their id (`.left`: this stream's): the
    /// other side's records of a key are not kept once its one record is here. A second record
    /// of a key on such a side stops the pipeline (see `JoinUniqueKeys`).
    @inlinable
    public func intervalJoin<Other, Joined>(
        _ other: KeyedStream<Key, Other>, between lower: Duration, and upper: Duration,
        uniqueKeys: JoinUniqueKeys = [], id: String,
        _ join: @escaping @Sendable (Record, Other) throws -> Joined?
    ) -> DataStream<Joined> {
        let (leftKey, rightKey) = (key, other.key)
        let savable = IntervalJoinOperator<Key, Record, Other, Joined>.isSnapshotable
        return joinStep(other, id: id) {
            .of(IntervalJoinOperator(lowerBound: lower, upperBound: upper, uniqueKeys: uniqueKeys,
                                     leftKey: leftKey, rightKey: rightKey, join: join),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
    }

    /// Pairs every record with every record of the other side with the same key, whenever
    /// either arrives (a regular join). Without `ttl` its state grows with the input; with
    /// it, a record is forgotten once the watermark is `ttl` past its time.
    ///
    /// `uniqueKeys` declares the sides whose key is their id (`.right` for records joined with
    /// their one partner, as auctions with their seller): the other side's records of a key are
    /// then not kept once its one record is here, so the state holds the partners and the
    /// records still waiting for theirs. A second record of a key on such a side stops the
    /// pipeline (see `JoinUniqueKeys`).
    @inlinable
    public func join<Other, Joined>(
        _ other: KeyedStream<Key, Other>, ttl: Duration? = nil, uniqueKeys: JoinUniqueKeys = [], id: String,
        _ join: @escaping @Sendable (Record, Other) throws -> Joined?
    ) -> DataStream<Joined> {
        let (leftKey, rightKey) = (key, other.key)
        let retention = ttl?.milliseconds
        let savable = UnboundedJoinOperator<Key, Record, Other, Joined>.isSnapshotable
        return joinStep(other, id: id) {
            .of(UnboundedJoinOperator(ttl: retention, uniqueKeys: uniqueKeys, leftKey: leftKey, rightKey: rightKey, join: join),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
    }

    /// Joins each record with the latest row of its key in `table` (a changelog stream: each
    /// row replaces the previous one of its key). An inner join drops records whose key has no
    /// row (counted); `.leftOuter` passes them with a nil row.
    @inlinable
    public func joinTable<Row, Output>(
        _ table: KeyedStream<Key, Row>, kind: StreamTableJoinOperator<Key, Record, Row, Output>.Kind = .inner,
        id: String, isDelete: (@Sendable (Row) -> Bool)? = nil,
        _ join: @escaping @Sendable (Record, Row?) throws -> Output?
    ) -> DataStream<Output> {
        let (recordKey, rowKey) = (key, table.key)
        stream.graph.claimOperatorID(id, kind: "operator")
        let inputs = joinInputs(table)
        let savable = StreamTableJoinOperator<Key, Record, Row, Output>.isSnapshotable
        let node = OperatorNode(label: id, inputs: inputs.nodes, exchange: inputs.exchange, keepsInputParallelism: false,
                                isStateful: true) {
            BatchFunction.of(StreamTableJoinOperator(kind: kind, recordKey: recordKey, rowKey: rowKey,
                                                     isDelete: isDelete, join: join),
                             snapshot: savable ? { $0.snapshot() } : nil,
                             restore: savable ? { try $0.restore($1) } : nil)
        }
        return DataStream(graph: stream.graph, node: stream.graph.add(node))
    }

    /// A join stage: both sides tagged, exchanged by key into one operator, its late records
    /// counted.
    @inlinable
    func joinStep<Other, Joined>(
        _ other: KeyedStream<Key, Other>, id: String,
        _ make: @escaping () -> BatchFunction<JoinInput<Record, Other>, JoinOutput<Joined, Record, Other>>
    ) -> DataStream<Joined> {
        stream.graph.claimOperatorID(id, kind: "operator")
        let inputs = joinInputs(other)
        let node = OperatorNode(label: id, inputs: inputs.nodes, exchange: inputs.exchange,
                                keepsInputParallelism: false, isStateful: true, makeFunction: make)
        let outputs = DataStream<JoinOutput<Joined, Record, Other>>(graph: stream.graph, node: stream.graph.add(node))
        return outputs.splitLate(id: id, lateRecords: nil)
    }

    /// Both sides tagged as join inputs, and the exchange that routes them by key.
    @inlinable
    func joinInputs<Other>(_ other: KeyedStream<Key, Other>)
    -> (nodes: [TypedNode<JoinInput<Record, Other>>], exchange: Exchange<JoinInput<Record, Other>>) {
        let left = stream.fused("\(stream.node.label) as left") { .of(MapOperator { JoinInput<Record, Other>.left($0) }) }
        let right = other.stream.fused("\(other.stream.node.label) as right") { .of(MapOperator { JoinInput<Record, Other>.right($0) }) }
        return ([left.node, right.node], .hash(joinInputPartitioner(other)))
    }

    /// Routes a tagged input by its side's key. Where both sides were keyed by stored
    /// properties, the keys are read at their offsets here: each record's hash is then one call
    /// (this closure's) instead of three (this one's, the side's `keyHash` and its key reader).
    @inlinable
    func joinInputPartitioner<Other>(_ other: KeyedStream<Key, Other>) -> RecordPartitioner<JoinInput<Record, Other>> {
        if let leftOffset = keyOffset, let rightOffset = other.keyOffset {
            return .byHash { input in
                switch input {
                case .left(let record): FieldAccess.value(at: leftOffset, of: record, as: Key.self).stableHash
                case .right(let record): FieldAccess.value(at: rightOffset, of: record, as: Key.self).stableHash
                }
            }
        }
        let (leftHash, rightHash) = (keyHash, other.keyHash)
        return .byHash { input in
            switch input {
            case .left(let record): leftHash(record)
            case .right(let record): rightHash(record)
            }
        }
    }
}

