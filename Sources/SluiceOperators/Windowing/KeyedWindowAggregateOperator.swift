import SluiceCore
import SluiceState

/// Aggregates each key's records per window, incrementally, and emits one result per key and
/// window when the window fires.
///
/// ```swift
/// // Bids per auction in sliding windows of 10 s every 2 s (Nexmark q5's first step).
/// var op = KeyedWindowAggregateOperator(key: { (bid: Bid) in bid.auction },
///                                       assigner: .sliding(size: .seconds(10), slide: .seconds(2)),
///                                       aggregator: Count<Bid>())
/// var out = Batch<WindowOutput<Int64, Bid, Int>>()
/// try op.process(bids, into: &out)
/// try op.onWatermark(1_735_689_610_000, into: &out)   // fires the windows ending by then
/// ```
///
/// - **State**: one accumulator per key and pane (sliding windows are cut into panes of
///   `gcd(size, slide)`, so a record updates one accumulator however many windows hold it; a
///   window's result merges its panes when it fires), or per key and session. Never a list of
///   records.
/// - **Event time**: a window fires when the watermark reaches its `maxTimestamp`
///   (`end - 1`). Windows fired by one watermark come out in window end order. Results carry the
///   event time `window.maxTimestamp`.
/// - **Allowed lateness**: a window's state is kept until the watermark reaches
///   `maxTimestamp + allowedLateness`. A record for a fired window within that time fires the window
///   again at once with the full updated result (a correction, as Flink does by default). A record
///   whose windows have all passed it (for sessions: whose own `[t, t + gap)` window has) is
///   emitted as `.late(record)` with its own event time and counted in `lateRecords`.
/// - **Processing time**: a record is assigned by the operator's clock, the `now` last given to
///   `onProcessingTime` (0 before the first call). A window fires at the first
///   `onProcessingTime(now)` with `now >= window.end`, that is once its last millisecond
///   (`maxTimestamp`) has passed, so that records processed at `now` after that call never fall into
///   a window that already fired. Nothing is late; `allowedLateness` is ignored.
/// - **End of input**: `onEnd` fires every pending window (in either domain) and frees all state.
/// - **Checkpoints**: when the key and the accumulator are `Codable` (`isSnapshotable`),
///   `snapshot()` saves every key's panes or sessions with their timer times, the watermark and
///   the processing-time clock; `restore(_:)` keeps the keys of the instance's key groups.
public struct KeyedWindowAggregateOperator<Key: PartitionKey, Input, A: Aggregator>: BatchOperator where A.Input == Input {
    /// Window results and late records.
    public typealias Output = WindowOutput<Key, Input, A.Output>

    /// The key of a record.
    public let key: (Input) -> Key
    /// How records are grouped into windows.
    public let assigner: WindowAssigner
    /// How long (ms) a window's state outlives its firing, to take corrections.
    public let allowedLateness: Int64
    /// The clock that assigns and fires windows.
    public let timeDomain: TimeDomain
    /// The records emitted as `.late` so far.
    public var lateRecords: Int { lateCount }
    // Internal rather than private, and `@usableFromInline`, so that the `@inlinable` batch methods
    // can use them: a pipeline module then specialises the whole per-record path for its types.
    @usableFromInline var lateCount = 0
    @usableFromInline var store: KeyedWindowStore<Key, A>

    /// Creates a window aggregation.
    /// - Parameters:
    ///   - key: the key of a record; windows are kept per key.
    ///   - assigner: tumbling, sliding (`slide <= size`) or session windows.
    ///   - aggregator: the incremental aggregation; its `merge` combines panes and sessions.
    ///   - allowedLateness: milliseconds a window keeps its state after it fires (event time only).
    ///   - timeDomain: event time (watermarks) or processing time (`onProcessingTime`).
    public init(key: @escaping (Input) -> Key, assigner: WindowAssigner, aggregator: A,
                allowedLateness: Int64 = 0, timeDomain: TimeDomain = .eventTime) {
        self.init(key: key, assigner: assigner, aggregator: aggregator, allowedLateness: allowedLateness,
                  timeDomain: timeDomain, paneLayout: .byPane)
    }

    /// As the public initialiser, with the layout of the pane state chosen (for tests of both).
    init(key: @escaping (Input) -> Key, assigner: WindowAssigner, aggregator: A,
         allowedLateness: Int64 = 0, timeDomain: TimeDomain = .eventTime, paneLayout: PaneLayout) {
        self.key = key
        self.assigner = assigner
        self.allowedLateness = allowedLateness
        self.timeDomain = timeDomain
        self.store = KeyedWindowStore(assigner: assigner, aggregator: aggregator,
                                      allowedLateness: allowedLateness, timeDomain: timeDomain, paneLayout: paneLayout)
    }

    /// The number of live accumulators: panes (tumbling, sliding) or sessions, over all keys.
    /// It stays bounded while the watermark advances: a window's state is freed once the
    /// watermark passes `maxTimestamp + allowedLateness`.
    public var stateSize: Int { store.stateSize }

    /// The number of pending timers (each key has one live timer; superseded ones wait to be skipped).
    public var pendingTimers: Int { store.timerCount }

    /// The event-time watermark (or, in processing time, the clock minus one) windows have fired up to.
    public var watermark: EventTime { store.watermark }

    /// Adds each record to its key's windows; emits corrections of fired windows and late records.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        var sink = Sink(output: output)
        output = Batch()
        defer { output = sink.output }
        for i in 0..<batch.count {
            let record = batch.records[i]
            let recordKey = key(record)
            if try !store.add(record, key: recordKey, eventTime: batch.times[i], into: &sink) {
                lateCount += 1
                sink.output.append(.late(record), time: batch.times[i])
            }
        }
    }

    /// Fires, in window end order, every window whose `maxTimestamp` the watermark reached, and
    /// frees the state of windows past their allowed lateness.
    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        try advance(.watermark(watermark), into: &output, flush: .never)
    }

    /// Moves the processing-time clock to `now` (it never goes back) and fires the windows that
    /// ended at or before it; does nothing in event time.
    @inlinable
    public mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws {
        try advance(.processingTime(now), into: &output, flush: .never)
    }

    /// Fires every window still pending, in either time domain, and frees all state.
    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        try advance(.end, into: &output, flush: .never)
    }

    /// Fires what `advance` completes, as the three methods above, handing every
    /// `flush.batchSize` results to `flush` as they are made.
    @inlinable
    public mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws {
        var sink = FiringSink(output: output, flush: flush)
        output = Batch()
        defer { output = sink.finish() }
        try store.advance(advance, into: &sink)
    }

    /// Appends the results and late records of a batch of input to the output batch, results
    /// stamped with the window's last millisecond. It owns the batch while the store runs (moved
    /// in and out), so appends do not copy it.
    @usableFromInline
    struct Sink: WindowResultSink {
        @usableFromInline var output: Batch<Output>
        @usableFromInline let flush: OutputFlush<Output>

        @inlinable init(output: Batch<Output>, flush: OutputFlush<Output> = .never) {
            self.output = output
            self.flush = flush
        }

        @inlinable mutating func reserveCapacity(forAdditional count: Int) {
            flush.reserveCapacity(in: &output, forAdditional: count)
        }

        @inlinable mutating func emit(key: Key, window: Window, value: A.Output) throws {
            output.append(.result(WindowResult(key: key, window: window, value: value)), time: window.maxTimestamp)
            try flush.sendIfFull(&output)
        }
    }
}

extension KeyedWindowAggregateOperator {
    /// Whether checkpoints can save this operator: its key and accumulator types are `Codable`
    /// (checked at run time).
    public static var isSnapshotable: Bool { KeyedWindowStore<Key, A>.isSnapshotable }

    /// The state for a checkpoint: a copy-on-write copy of every key's panes (or sessions) and
    /// timer time, with the watermark and the clock, encoded only when the snapshot is serialised.
    /// `lateRecords` is not saved: it counts the late records of this run of the instance.
    public func snapshot() -> StateSnapshot { store.snapshot() }

    /// Replaces the state with the saved state of the keys in `saved.keyGroups`, before any
    /// input. The watermark and clock become the smallest saved ones (instances normally agree);
    /// timers are rebuilt from the saved per-key timer times.
    public mutating func restore(_ saved: RestoredState) throws { try store.restore(saved) }
}
