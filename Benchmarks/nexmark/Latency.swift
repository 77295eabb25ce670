import ArgumentParser
import NexmarkQueries
import Sluice
import SluiceNexmark

/// `nexmark latency`: one query on events generated in process at a steady rate, each stamped
/// with the wall-clock time it enters; prints one JSON line with the latency percentiles of the
/// rows leaving the sink.
///
/// ```
/// nexmark latency --query q1 --rate 1000000 --seconds 20 --parallelism 2
/// {"query":"q1","parallelism":2,"rate":1000000,"achievedEventsPerSecond":999870,"samples":…,"p50Ms":…,"p90Ms":…,"p99Ms":…,"p999Ms":…,"maxMs":…,"from":"input"}
/// ```
struct Latency: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a query's latency at a steady input rate (HdrHistogram percentiles).",
        discussion: """
            q0 and q1 measure from a record entering the source to its row leaving the sink; q5, q7 and q8
            from the watermark passing a window's end (its end plus the allowed out-of-orderness, as event
            times follow the wall clock) to the window's rows leaving. Rows of the first --warmup seconds,
            and windows that close only because the input ends, are not counted.
            """)

    /// The queries whose rows say from when their latency counts.
    static let queries: [NexmarkQuery] = [.q0, .q1, .q5, .q7, .q8]

    @Option(help: "The query: \(Latency.queries.map(\.rawValue).joined(separator: ", ")).")
    var query: String

    @Option(help: "Input events per second, all instances together.")
    var rate: Double

    @Option(help: "Seconds of input.")
    var seconds: Double = 20

    @Option(help: "Seconds at the start whose rows are not counted.")
    var warmup: Double = 4

    @Option(help: "Instances of each stage.")
    var parallelism: Int = RunOptions.availableCores

    @Option(name: .customLong("max-out-of-orderness-ms"), help: "The out-of-orderness the watermark allows, in ms.")
    var maxOutOfOrdernessMs: Int64 = 1_000

    @OptionGroup var exchange: ExchangeOptions

    func validate() throws {
        guard let query = NexmarkQuery(name: query), Self.queries.contains(query) else {
            throw ValidationError("--query: one of \(Self.queries.map(\.rawValue).joined(separator: ", "))")
        }
        guard rate > 0, seconds > 0, warmup >= 0, warmup < seconds else {
            throw ValidationError("--rate and --seconds must be positive, --warmup below --seconds")
        }
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
        guard maxOutOfOrdernessMs >= 0 else { throw ValidationError("--max-out-of-orderness-ms must not be negative") }
    }

    func run() throws {
        let query = NexmarkQuery(name: query)!
        let count = Int(rate * seconds)
        let start = BenchmarkClock.wallMilliseconds()
        let recorder = LatencyRecorder(watermarkDelayMilliseconds: maxOutOfOrdernessMs,
                                       firstOrigin: start + Int64(warmup * 1_000),
                                       lastWindowEnd: start + Int64(seconds * 1_000) - maxOutOfOrdernessMs)
        var queryOptions = NexmarkQueryOptions()
        queryOptions.maxOutOfOrderness = .milliseconds(maxOutOfOrdernessMs)
        exchange.apply(to: &queryOptions)
        let input = NexmarkInput.paced(count: count, eventsPerSecond: rate, generator: NexmarkGenerator(seed: 0))
        let pipeline = Pipeline { p in
            query.define(&p, input: input, sink: .observe { recorder.record(origin: $0, closesWindow: $1) }, options: queryOptions)
        }
        var options = RunOptions(parallelism: parallelism)
        options.onBadRecord = .fail
        exchange.apply(to: &options)
        let clock = ContinuousClock()
        let started = clock.now
        _ = try pipeline.run(options)
        let elapsed = clock.now - started
        let histogram = recorder.recorded
        func ms(_ percentile: Double) -> String {
            histogram.totalCount == 0 ? "null" : Fixed.format(Double(histogram.valueAtPercentile(percentile)) / 1_000, decimals: 3)
        }
        let achieved = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        let from = Latency.measuresWindows(query) ? "window end" : "input"
        print(#"{"query":"\#(query.rawValue)","parallelism":\#(parallelism),"rate":\#(Fixed.format(rate, decimals: 0)),"#
            + #""achievedEventsPerSecond":\#(Fixed.format(achieved, decimals: 0)),"seconds":\#(Fixed.format(seconds, decimals: 1)),"#
            + #""samples":\#(histogram.totalCount),"p50Ms":\#(ms(50)),"p90Ms":\#(ms(90)),"p99Ms":\#(ms(99)),"p999Ms":\#(ms(99.9)),"#
            + #""maxMs":\#(histogram.totalCount == 0 ? "null" : Fixed.format(Double(histogram.max) / 1_000, decimals: 3)),"#
            + #""earlyRows":\#(recorder.earlyRows),"from":"\#(from)"}"#)
    }

    /// Whether the query's latency counts from window ends (else from input records).
    static func measuresWindows(_ query: NexmarkQuery) -> Bool {
        query == .q5 || query == .q7 || query == .q8
    }
}
