import SluiceCore
import SluiceOperators
import SluiceRuntime
import SluiceState

/// A stream partitioned by key. Only here do the stateful steps exist, so aggregating an
/// unkeyed stream does not compile.
public struct KeyedStream<Key: PartitionKey, Record> {
    @usableFromInline let stream: DataStream<Record>
    @usableFromInline let key: @Sendable (Record) -> Key
    /// `key(record).stableHash`, made where the stream is keyed: there the key function is the
    /// caller's closure, which the compiler can inline into this one, while the stored `key`
    /// costs the exchanges that hash every record a call through a thunk.
    @usableFromInline let keyHash: @Sendable (Record) -> UInt64
    /// The key's byte offset in a record, when the stream was keyed by a key path to a stored
    /// property (`MemoryLayout.offset(of:)`); nil for a key closure. Steps that hash records of
    /// two keyed streams (joins) read the key there instead of calling `keyHash`.
    @usableFromInline let keyOffset: Int?
    /// Whether the stream is partitioned by `key` already (`reinterpretAsKeyed`): keyed steps
    /// then read it without an exchange.
    @usableFromInline let isAlreadyKeyed: Bool

    @inlinable
    init(stream: DataStream<Record>, key: @escaping @Sendable (Record) -> Key, isAlreadyKeyed: Bool = false) {
        self.init(stream: stream, key: key, keyHash: { key($0).stableHash }, keyOffset: nil, isAlreadyKeyed: isAlreadyKeyed)
    }

    /// Keyed by the value at `keyPath`. A stored property is read at its byte offset, in the
    /// hash too, so that hashing a record is one call with the read compiled into it.
    @inlinable
    init(stream: DataStream<Record>, keyPath: KeyPath<Record, Key>, isAlreadyKeyed: Bool = false) {
        let key = FieldAccess.reader(keyPath)
        guard let offset = MemoryLayout<Record>.offset(of: keyPath) else {
            self.init(stream: stream, key: key, isAlreadyKeyed: isAlreadyKeyed)
            return
        }
        self.init(stream: stream, key: key, keyHash: { FieldAccess.value(at: offset, of: $0, as: Key.self).stableHash },
                  keyOffset: offset, isAlreadyKeyed: isAlreadyKeyed)
    }

    /// The initialisers above make `keyHash` and `keyOffset` agree with `key`; this one stores them.
    @inlinable
    init(stream: DataStream<Record>, key: @escaping @Sendable (Record) -> Key, keyHash: @escaping @Sendable (Record) -> UInt64,
         keyOffset: Int?, isAlreadyKeyed: Bool) {
        self.stream = stream
        self.key = key
        self.keyHash = keyHash
        self.keyOffset = keyOffset
        self.isAlreadyKeyed = isAlreadyKeyed
    }

    /// Keeps one `State` per key and calls `function` for every record with that key's state;
    /// the function may emit any number of results.
    ///
    /// ```swift
    /// bids.keyed(by: \.bidder).process(id: "first-bid", initialState: false) { seen, bid, out in
    ///     if !seen { seen = true; out.emit(bid) }
    /// }
    /// ```
    /// - Parameter id: a stable name, unique in the pipeline: checkpointed state is found by it.
    @inlinable
    public func process<State, Output>(
        id: String, initialState: @autoclosure @escaping @Sendable () -> State,
        _ function: @escaping @Sendable (inout State, Record, inout KeyedEmitter<Key, Output>) throws -> Void
    ) -> DataStream<Output> {
        processStep(id: id, initialState: initialState, function, onTimer: nil)
    }

    /// Keeps one `State` per key, calls `function` for every record with that key's state, and
    /// `onTimer` when a timer that the key registered fires (Flink's `KeyedProcessFunction`).
    ///
    /// Event-time timers fire when the watermark reaches their time, and what they emit carries
    /// that time; processing-time timers fire when the operator's clock does. Timers are saved by
    /// checkpoints with the state. At the end of a bounded input every event-time timer fires.
    ///
    /// ```swift
    /// // Emits a bidder's bid count once they have been quiet for 10 s of event time.
    /// bids.keyed(by: \.bidder).process(id: "quiet-bidders", initialState: Activity()) { activity, bid, out in
    ///     activity.bids += 1
    ///     out.deleteEventTimeTimer(at: activity.deadline)
    ///     activity.deadline = out.time + 10_000
    ///     out.registerEventTimeTimer(at: activity.deadline)
    /// } onTimer: { activity, timer, out in
    ///     out.emit(QuietBidder(bidder: timer.key, bids: activity.bids))
    ///     out.clearState()
    /// }
    /// ```
    /// - Parameter id: a stable name, unique in the pipeline: checkpointed state is found by it.
    @inlinable
    public func process<State, Output>(
        id: String, initialState: @autoclosure @escaping @Sendable () -> State,
        _ function: @escaping @Sendable (inout State, Record, inout KeyedEmitter<Key, Output>) throws -> Void,
        onTimer: @escaping @Sendable (inout State, KeyedTimer<Key>, inout KeyedEmitter<Key, Output>) throws -> Void
    ) -> DataStream<Output> {
        processStep(id: id, initialState: initialState, function, onTimer: onTimer)
    }

    @inlinable
    func processStep<State, Output>(
        id: String, initialState: @escaping @Sendable () -> State,
        _ function: @escaping @Sendable (inout State, Record, inout KeyedEmitter<Key, Output>) throws -> Void,
        onTimer: (@Sendable (inout State, KeyedTimer<Key>, inout KeyedEmitter<Key, Output>) throws -> Void)?
    ) -> DataStream<Output> {
        let key = key
        // State that is Codable (with a Codable key) is saved by checkpoints; other state makes
        // the step refuse checkpointing with a clear error.
        let savable = KeyedProcessOperator<Key, Record, State, Output>.isSnapshotable
        return keyedStep(id) {
            .of(KeyedProcessOperator(key: key, initialState: initialState, function: function, onTimer: onTimer),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
    }

    /// A stateful step behind a hash exchange on this stream's key (none if already keyed).
    @inlinable
    func keyedStep<Output>(_ label: String, _ make: @escaping () -> BatchFunction<Record, Output>) -> DataStream<Output> {
        stream.graph.claimOperatorID(label, kind: "operator")
        let exchange: Exchange<Record> = isAlreadyKeyed
            ? .alreadyKeyed(KeyOwnershipCheck.finder(keyHash))
            : .hash(.byHash(keyHash))
        let node = OperatorNode(label: label, inputs: [stream.node], exchange: exchange,
                                keepsInputParallelism: false, isStateful: true, makeFunction: make)
        return DataStream(graph: stream.graph, node: stream.graph.add(node))
    }

    /// Combines each record with the previous result for its key and emits the new result.
    @inlinable
    public func reduce(id: String, _ combine: @escaping @Sendable (Record, Record) throws -> Record) -> DataStream<Record> {
        process(id: id, initialState: Record?.none) { (state: inout Record?, record: Record, out: inout KeyedEmitter<Key, Record>) in
            let combined = try state.map { try combine($0, record) } ?? record
            state = combined
            out.emit(combined)
        }
    }

    /// Folds each record into its key's accumulator and emits the updated result.
    @inlinable
    public func aggregate<A: Aggregator & Sendable>(_ aggregator: A, id: String) -> DataStream<A.Output> where A.Input == Record {
        process(id: id, initialState: aggregator.makeAccumulator()) { (accumulator: inout A.Accumulator, record: Record, out: inout KeyedEmitter<Key, A.Output>) in
            aggregator.add(record, to: &accumulator)
            out.emit(aggregator.result(accumulator))
        }
    }
}
