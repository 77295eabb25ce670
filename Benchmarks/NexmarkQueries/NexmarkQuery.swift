import Sluice
import SluiceNexmark

/// The Nexmark queries of `nexmark.md`, each built with the public DSL from a stream of events.
///
/// ```swift
/// let pipeline = Pipeline { p in
///     let events = p.nexmarkEvents(.generated(count: 1_000_000, generator: NexmarkGenerator(seed: 0)))
///     NexmarkQuery.q5.add(to: &p, events: events, sink: .file())
/// }
/// try pipeline.run(options)     // options.outputs["out"] = "hot-items.jsonl"
/// ```
public enum NexmarkQuery: String, CaseIterable, Sendable, CustomStringConvertible {
    case q0, q1, q2, q3, q4, q5, q7, q8, q11, q12

    /// Parses `q5`, `Q5` or `5`.
    public init?(name: String) {
        let lowered = name.lowercased()
        self.init(rawValue: lowered.hasPrefix("q") ? lowered : "q" + lowered)
    }

    public var description: String { rawValue }

    /// Whether the query's result depends only on the input (not on the speed of the run).
    public var isDeterministic: Bool { self != .q12 }

    /// Adds the query to the pipeline being defined: from `events` (with event time assigned) to
    /// `sink`. The query's stateful steps get ids starting with the query's name.
    public func add(to p: inout PipelineBuilder, events: DataStream<NexmarkEvent>, sink: NexmarkSink,
                    options: NexmarkQueryOptions = NexmarkQueryOptions()) {
        switch self {
        case .q0: sink.attach(Q0.build(events))
        case .q1: sink.attach(Q1.build(events))
        case .q2: sink.attach(Q2.build(events))
        case .q3: sink.attach(Q3.build(events))
        case .q4: sink.attach(Q4.build(events, maxAuctionDuration: options.maxAuctionDuration))
        case .q5: sink.attach(Q5.build(events))
        case .q7: sink.attach(Q7.build(events))
        case .q8: sink.attach(Q8.build(events))
        case .q11: sink.attach(Q11.build(events))
        case .q12: sink.attach(Q12.build(events))
        }
    }

    /// Defines the whole pipeline: the events source of `input`, with event time, then the query.
    public func define(_ p: inout PipelineBuilder, input: NexmarkInput, sink: NexmarkSink,
                       options: NexmarkQueryOptions = NexmarkQueryOptions()) {
        let events = p.nexmarkEvents(input, maxOutOfOrderness: options.maxOutOfOrderness, maxDrift: options.maxDrift)
        add(to: &p, events: events, sink: sink, options: options)
    }
}

/// Settings of the queries beyond `nexmark.md`'s fixed ones.
public struct NexmarkQueryOptions: Sendable {
    /// The out-of-orderness allowed in the input's event times (each source instance reads its
    /// part in time order; parallel instances make a little disorder safe to allow).
    public var maxOutOfOrderness: Duration = .seconds(1)
    /// q4: the longest an auction may last (`expires - dateTime`); longer ones stop the query.
    public var maxAuctionDuration: Duration = .seconds(60)
    /// How far in event time a source instance may read ahead of the slowest (watermark
    /// alignment); nil: as far as it likes. 8 s keeps q5's live panes within its pane columns
    /// (10 s windows), and is more than a 16 MiB stripe of the suite's file spans (5.7 s), so that
    /// at parallelism 2 the readers of a file's neighbouring stripes do not take turns. (Instance
    /// `k` starts `k` stripes into the file: from parallelism 3 on, files want a larger drift.)
    public var maxDrift: Duration? = .seconds(8)

    public init() {}
}

/// Where a query's rows go.
public enum NexmarkSink: Sendable {
    /// The sink `name` (bound with `RunOptions.outputs[name]`), as JSON lines.
    case file(name: String = "out")
    /// Counted and dropped, as Flink's discarding sink (benchmarks).
    case discard
    /// Each row's ``LatencyTimed/latencyOrigin`` and kind handed to a closure as the row leaves,
    /// then dropped (latency benchmarks; rows that are not `LatencyTimed` are only dropped).
    case observe(@Sendable (_ latencyOrigin: Int64, _ closesWindow: Bool) -> Void)

    /// Ends `rows` in this sink.
    public func attach<Row: Encodable>(_ rows: DataStream<Row>) {
        end(rows)
    }

    /// Ends `rows` in this sink, where `.observe` sees each row. (Chosen over the unconstrained
    /// overload wherever the row type is known to be `LatencyTimed`.)
    public func attach<Row: Encodable & LatencyTimed>(_ rows: DataStream<Row>) {
        guard case .observe(let observe) = self else { return end(rows) }
        rows.map { (row: Row) -> Int64 in
            observe(row.latencyOrigin, Row.closesWindow)
            return row.latencyOrigin
        }.discard()
    }

    private func end<Row: Encodable>(_ rows: DataStream<Row>) {
        switch self {
        case .file(let name): rows.sink(name, format: .jsonLines)
        case .discard, .observe: rows.discard()
        }
    }
}

/// Where the events come from.
public enum NexmarkInput: Sendable {
    /// The source named `events`, JSON lines bound with `RunOptions.inputs["events"]`.
    case file
    /// `count` events computed in the engine by `generator.event(at:)`, spread over the instances
    /// in runs of the generator's event pattern (`NexmarkGenerator.eventPatternLength`).
    case generated(count: Int, generator: NexmarkGenerator)
    /// Events held in memory (tests).
    case elements([NexmarkEvent])
    /// `count` events generated at `eventsPerSecond` in all, each stamped with the wall-clock
    /// time it enters the pipeline as its event time (latency benchmarks).
    case paced(count: Int, eventsPerSecond: Double, generator: NexmarkGenerator)
}

extension PipelineBuilder {
    /// The name of the events source.
    public static let nexmarkSourceName = "events"

    /// The events of `input`, with their `dateTime` as event time.
    ///
    /// - Parameter maxDrift: aligns the source's instances within this much event time (see
    ///   `WatermarkAlignment`); nil: no alignment.
    public func nexmarkEvents(_ input: NexmarkInput, maxOutOfOrderness: Duration = .seconds(1),
                              maxDrift: Duration? = nil) -> DataStream<NexmarkEvent> {
        let events: DataStream<NexmarkEvent>
        switch input {
        case .file:
            events = source(Self.nexmarkSourceName, format: .jsonLines(NexmarkEvent.self))
        case .generated(let count, let generator):
            // Each instance generates with its own strings (`NexmarkGenerator.withOwnStrings`).
            events = source(Self.nexmarkSourceName, count: count, runLength: NexmarkGenerator.eventPatternLength,
                            generatorPerInstance: {
                let generator = generator.withOwnStrings()
                return { n in generator.event(at: Int64(n)) }
            })
        case .elements(let elements):
            events = source(elements: elements)
        case .paced(let count, let eventsPerSecond, let generator):
            let pacer = EventPacer(generator: generator, eventsPerSecond: eventsPerSecond)
            events = source(Self.nexmarkSourceName, count: count, runLength: NexmarkGenerator.eventPatternLength,
                            generatorPerInstance: {
                let pacer = pacer.withOwnStrings()
                return { n in pacer.event(n) }
            })
        }
        return events.withEventTime({ $0.dateTime }, maxOutOfOrderness: maxOutOfOrderness,
                                    alignment: maxDrift.map { WatermarkAlignment(group: Self.nexmarkSourceName, maxDrift: $0) })
    }
}
