import SluiceCore
import SluiceState

/// Calls a function with all of a key's records in a window when the window fires; the function
/// emits any number of values for it.
///
/// ```swift
/// // The distinct bidders of each auction per 10 s window.
/// var op = KeyedWindowProcessOperator<Int64, Bid, Set<Int64>>(key: { $0.auction }, assigner: .tumbling(.seconds(10))) {
///     auction, window, bids, out in
///     out.append(Set(bids.map(\.bidder)))
/// }
/// ```
///
/// It keeps every record of every open window in memory, so its state grows with the number of
/// records per window (and sliding windows copy a pane's records into each window they are in
/// when it fires). Use `KeyedWindowAggregateOperator` when the result can be computed
/// incrementally: it keeps one accumulator per pane.
///
/// Firing, allowed lateness, late records, processing time and cleanup follow exactly the rules of
/// `KeyedWindowAggregateOperator`; a correction within lateness calls the function again with all
/// of the window's records. The records are passed grouped by pane (for sessions: by the sessions
/// that merged), in arrival order within a group; sort them if order matters. Each emitted value
/// becomes a `.result` carrying the key and window, with the event time `window.maxTimestamp`.
///
/// Checkpoints save every key's panes (or sessions) of records when the key and record types are
/// `Codable` (`isSnapshotable`), as `KeyedWindowAggregateOperator` does.
public struct KeyedWindowProcessOperator<Key: PartitionKey, Input, Value>: BatchOperator {
    /// Window results and late records.
    public typealias Output = WindowOutput<Key, Input, Value>
    /// Receives the key, the window and its records, and appends the values to emit.
    public typealias Function = (Key, Window, [Input], inout [Value]) throws -> Void

    /// The key of a record.
    public let key: (Input) -> Key
    /// How records are grouped into windows.
    public let assigner: WindowAssigner
    /// How long (ms) a window's records outlive its firing, to take corrections.
    public let allowedLateness: Int64
    /// The clock that assigns and fires windows.
    public let timeDomain: TimeDomain
    /// The process-window function.
    public let function: Function
    /// The records emitted as `.late` so far.
    public var lateRecords: Int { lateCount }
    // `@usableFromInline` so that the `@inlinable` batch methods specialise in a pipeline's module.
    @usableFromInline var lateCount = 0
    @usableFromInline var store: KeyedWindowStore<Key, WindowRecordCollector<Input>>
    /// Reused for every call of `function`, so that firing allocates no array per window.
    @usableFromInline var scratch: [Value] = []

    /// Creates a process-window operator; the parameters are those of `KeyedWindowAggregateOperator`.
    public init(key: @escaping (Input) -> Key, assigner: WindowAssigner, allowedLateness: Int64 = 0,
                timeDomain: TimeDomain = .eventTime, _ function: @escaping Function) {
        self.key = key
        self.assigner = assigner
        self.allowedLateness = allowedLateness
        self.timeDomain = timeDomain
        self.function = function
        self.store = KeyedWindowStore(assigner: assigner, aggregator: WindowRecordCollector(),
                                      allowedLateness: allowedLateness, timeDomain: timeDomain)
    }

    /// The number of live record lists: panes (tumbling, sliding) or sessions, over all keys.
    public var stateSize: Int { store.stateSize }

    /// The event-time watermark (or, in processing time, the clock minus one) windows have fired up to.
    public var watermark: EventTime { store.watermark }

    /// Adds each record to its key's windows; emits corrections of fired windows and late records.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        var sink = startSink(&output)
        defer { finish(sink, into: &output) }
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
    /// `flush.batchSize` outputs to `flush` as they are made.
    @inlinable
    public mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws {
        var sink = startSink(&output, flush: flush)
        defer { finish(sink, into: &output) }
        try store.advance(advance, into: &sink)
    }

    /// Moves the output batch and the scratch array into a sink, so neither is copied on append.
    @inlinable
    mutating func startSink(_ output: inout Batch<Output>, flush: OutputFlush<Output> = .never) -> Sink {
        let sink = Sink(output: output, function: function, scratch: scratch, flush: flush)
        output = Batch()
        scratch = []
        return sink
    }

    @inlinable
    mutating func finish(_ sink: Sink, into output: inout Batch<Output>) {
        output = sink.output
        scratch = sink.scratch
    }

    /// Runs the function for a fired window and appends what it emits.
    @usableFromInline
    struct Sink: WindowResultSink {
        @usableFromInline var output: Batch<Output>
        @usableFromInline let function: Function
        @usableFromInline var scratch: [Value]
        @usableFromInline let flush: OutputFlush<Output>

        @inlinable init(output: Batch<Output>, function: @escaping Function, scratch: [Value], flush: OutputFlush<Output>) {
            self.output = output
            self.function = function
            self.scratch = scratch
            self.flush = flush
        }

        @inlinable mutating func reserveCapacity(forAdditional count: Int) {
            flush.reserveCapacity(in: &output, forAdditional: count)
        }

        @inlinable mutating func emit(key: Key, window: Window, value records: [Input]) throws {
            scratch.removeAll(keepingCapacity: true)
            try function(key, window, records, &scratch)
            for value in scratch {
                output.append(.result(WindowResult(key: key, window: window, value: value)), time: window.maxTimestamp)
            }
            try flush.sendIfFull(&output)
        }
    }
}

extension KeyedWindowProcessOperator {
    /// Whether checkpoints can save this operator: its key and record types are `Codable`
    /// (checked at run time).
    public static var isSnapshotable: Bool { KeyedWindowStore<Key, WindowRecordCollector<Input>>.isSnapshotable }

    /// The state for a checkpoint: a copy-on-write copy of every key's record lists and timer
    /// time, with the watermark and the clock, encoded only when the snapshot is serialised.
    /// `lateRecords` is not saved.
    public func snapshot() -> StateSnapshot { store.snapshot() }

    /// Replaces the state with the saved state of the keys in `saved.keyGroups`, before any
    /// input (see `KeyedWindowAggregateOperator.restore(_:)`).
    public mutating func restore(_ saved: RestoredState) throws { try store.restore(saved) }
}
