import Sluice

/// A window end that 65,536 keys share, as Nexmark q5's sliding count of bids per auction meets
/// every 2 s: each call adds one record per key (in a shuffled key order, as bids arrive) to the
/// next 2 s pane, then moves the watermark past that pane, which fires every key's 10 s window by
/// one pass over the window's five pane columns and frees the oldest column. The results go out through a
/// flush of 4,096, as the runtime takes them. One operation is one key: its record added, its
/// window fired and its result handed on.
///
/// After five calls every key holds five panes, so each call does the same work: the steady
/// state of a q5 instance with 65,536 live auctions.
struct WindowFireMicroBenchmark: MicroBenchmark {
    static let name = "micro-window-fire"
    static let unit = "key"
    static let operationsPerCall = 65_536
    static let timedCalls = 40
    static let warmUpCalls = 8

    private static let slide: Int64 = 2_000

    private var records: Batch<Int64>
    private var paneStart: Int64 = 1_735_689_600_000
    private var window = KeyedWindowAggregateOperator(
        key: { (auction: Int64) in auction },
        assigner: .sliding(size: .seconds(10), slide: .milliseconds(WindowFireMicroBenchmark.slide)),
        aggregator: Count<Int64>())
    private var output = Batch<WindowOutput<Int64, Int64, Int>>()
    private let flush: OutputFlush<WindowOutput<Int64, Int64, Int>>
    private let results: Counter

    init() {
        // An odd multiplier modulo a power of two permutes the keys: a fixed shuffle.
        let keys = (0..<Self.operationsPerCall).map { Int64(($0 &* 40_503) & (Self.operationsPerCall - 1)) * 7_919 }
        records = Batch(records: ContiguousArray(keys), times: ContiguousArray(repeating: 0, count: keys.count))
        let results = Counter()
        self.results = results
        flush = OutputFlush(batchSize: 4_096) { results.value &+= $0.count }
    }

    mutating func run(calls: Int) throws {
        for _ in 0..<calls {
            // Spread over the pane, in time order, as a source's records are.
            for i in 0..<records.count {
                records.times[i] = paneStart + Int64(i) * (Self.slide - 1) / Int64(records.count)
            }
            try window.process(records, into: &output)
            try window.advance(.watermark(paneStart + Self.slide - 1), into: &output, flush: flush)
            results.value &+= output.count
            output.removeAll()
            paneStart += Self.slide
        }
    }

    /// Counts the results the flush takes (a class: the flush's closure outlives a call).
    final class Counter {
        var value = 0
    }
}
