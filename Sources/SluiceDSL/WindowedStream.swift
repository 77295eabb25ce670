import SluiceCore
import SluiceOperators
import SluiceRuntime

/// A keyed stream cut into windows: aggregate each key's window incrementally, or see its
/// records with a process-window function. Results carry the key and the window.
///
/// ```swift
/// bids.keyed(by: \.auction)
///     .window(.sliding(size: .seconds(10), slide: .seconds(2)))
///     .aggregate(Count(), id: "bids-per-auction")      // DataStream<WindowResult<Int64, Int>>
/// ```
/// A window fires when the watermark reaches its end. With `allowedLateness`, records up to
/// that late still update it (it fires again, with the full corrected result); later records
/// go to `lateRecords`, or, without one, are counted and reported when the pipeline ends.
public struct WindowedStream<Key: PartitionKey, Record> {
    @usableFromInline let keyed: KeyedStream<Key, Record>
    @usableFromInline let assigner: WindowAssigner
    @usableFromInline let allowedLateness: Int64
    @usableFromInline let timeDomain: TimeDomain

    @usableFromInline
    init(keyed: KeyedStream<Key, Record>, assigner: WindowAssigner, allowedLateness: Int64, timeDomain: TimeDomain) {
        self.keyed = keyed
        self.assigner = assigner
        self.allowedLateness = allowedLateness
        self.timeDomain = timeDomain
    }

    /// Folds each window's records into one accumulator per key and window (panes are shared
    /// between overlapping sliding windows) and emits the result when the window fires.
    /// - Parameters:
    ///   - id: a stable name, unique in the pipeline.
    ///   - lateRecords: receives the records that came too late for every window they belong to.
    @inlinable
    public func aggregate<A: Aggregator & Sendable>(
        _ aggregator: A, id: String, lateRecords: ((DataStream<Record>) -> Void)? = nil
    ) -> DataStream<WindowResult<Key, A.Output>> where A.Input == Record {
        let (key, assigner, lateness, domain) = (keyed.key, assigner, allowedLateness, timeDomain)
        // Checkpoints save the windows when the key and the accumulator are Codable.
        let savable = KeyedWindowAggregateOperator<Key, Record, A>.isSnapshotable
        let outputs = keyed.keyedStep(id) {
            .of(KeyedWindowAggregateOperator(key: key, assigner: assigner, aggregator: aggregator,
                                             allowedLateness: lateness, timeDomain: domain),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
        return outputs.splitLate(id: id, lateRecords: lateRecords)
    }

    /// Calls `function` with each key's window and all its records when the window fires.
    /// Keeps the records themselves: prefer `aggregate` when an accumulator will do.
    @inlinable
    public func process<Value>(
        id: String, lateRecords: ((DataStream<Record>) -> Void)? = nil,
        _ function: @escaping @Sendable (Key, Window, [Record], inout [Value]) throws -> Void
    ) -> DataStream<WindowResult<Key, Value>> {
        let (key, assigner, lateness, domain) = (keyed.key, assigner, allowedLateness, timeDomain)
        // Checkpoints save the windows' records when the key and the records are Codable.
        let savable = KeyedWindowProcessOperator<Key, Record, Value>.isSnapshotable
        let outputs = keyed.keyedStep(id) {
            .of(KeyedWindowProcessOperator(key: key, assigner: assigner, allowedLateness: lateness,
                                           timeDomain: domain, function),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
        return outputs.splitLate(id: id, lateRecords: lateRecords)
    }
}

extension KeyedStream {
    /// Groups each key's records into windows of event time (or processing time).
    @inlinable
    public func window(_ assigner: WindowAssigner, allowedLateness: Duration = .zero,
                       timeDomain: TimeDomain = .eventTime) -> WindowedStream<Key, Record> {
        WindowedStream(keyed: self, assigner: assigner, allowedLateness: allowedLateness.milliseconds, timeDomain: timeDomain)
    }
}

extension DataStream {
    /// Windows over the whole stream (all records share one key), as Flink's `windowAll`:
    /// one instance does the work, so pre-aggregate per key first where the volume is large.
    @inlinable
    public func windowAll(_ assigner: WindowAssigner, allowedLateness: Duration = .zero,
                          timeDomain: TimeDomain = .eventTime) -> WindowedStream<Int, Record> {
        keyed { _ in 0 }.window(assigner, allowedLateness: allowedLateness, timeDomain: timeDomain)
    }

    /// Splits an operator's output into its results and its late records; late records go to
    /// `lateRecords` or to the pipeline's late-record count.
    ///
    /// The parts are read by `ResultsOperator` and `LateRecordsOperator` through the
    /// `ResultOrLate` protocol, specialised for the output type: a key path cost a runtime call
    /// per record (a fifth of q5's instructions went to them), and a closure an indirect call.
    @inlinable
    func splitLate(id: String, lateRecords: ((DataStream<Record.Late>) -> Void)?) -> DataStream<Record.Result>
    where Record: ResultOrLate {
        let lateStream = fused("\(id) late") { .of(LateRecordsOperator<Record>()) }
        if let lateRecords {
            lateRecords(lateStream)
        } else {
            lateStream.countAsDroppedLate()
        }
        return fused("\(id) results") { .of(ResultsOperator<Record>()) }
    }

    /// Counts records that arrive too late and have no late-data output.
    @usableFromInline
    func countAsDroppedLate() {
        _ = graph.add(DiscardSinkNode(input: node, countsLateRecords: true))
    }
}

extension DataStream {
    /// For each window, the `n` results that come first by `areInIncreasingOrder` reversed
    /// (the largest), emitted when the watermark passes the window.
    @inlinable
    public func topPerWindow<Key, Value>(
        _ n: Int, id: String, by areInIncreasingOrder: @escaping @Sendable (WindowResult<Key, Value>, WindowResult<Key, Value>) -> Bool
    ) -> DataStream<Record> where Record == WindowResult<Key, Value> {
        perWindow(id: id, selection: .top(n), by: areInIncreasingOrder)
    }

    /// For each window, every result equal to the window's maximum (ties kept), as Nexmark q5.
    @inlinable
    public func maxPerWindow<Key, Value>(
        id: String, by areInIncreasingOrder: @escaping @Sendable (WindowResult<Key, Value>, WindowResult<Key, Value>) -> Bool
    ) -> DataStream<Record> where Record == WindowResult<Key, Value> {
        perWindow(id: id, selection: .allMaximal, by: areInIncreasingOrder)
    }

    @inlinable
    func perWindow<Key, Value>(
        id: String, selection: WindowTopSelection,
        by areInIncreasingOrder: @escaping @Sendable (WindowResult<Key, Value>, WindowResult<Key, Value>) -> Bool
    ) -> DataStream<Record> where Record == WindowResult<Key, Value> {
        // Checkpoints save the open windows' kept results when the results are Codable.
        let savable = WindowTopOperator<Record>.isSnapshotable
        // Each instance first drops, batch by batch, the results that cannot be selected: only a
        // few per batch then cross the exchange (a firing window emits a result per key).
        let top = { WindowTopOperator<Record>(window: { $0.window }, by: areInIncreasingOrder, selection: selection) }
        let candidates = fused("\(id) prefilter") { .of(WindowTopPrefilter(for: top())) }
        let outputs = candidates.keyed { $0.window }.keyedStep(id) {
            .of(top(),
                snapshot: savable ? { $0.snapshot() } : nil,
                restore: savable ? { try $0.restore($1) } : nil)
        }
        return outputs.splitLate(id: id, lateRecords: nil)
    }
}
