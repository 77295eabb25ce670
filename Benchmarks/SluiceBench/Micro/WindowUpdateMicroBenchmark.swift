import Sluice
import SluiceNexmark

/// Feeds batches of 1024 bids to the sliding-window count that `topbids` runs (bids per auction,
/// 10 s windows every 2 s), each followed by the watermark 2 s behind its last bid: per record,
/// the key's pane update, and the firing and freeing of windows that the watermark completes.
///
/// The same 64 batches (about 7 s of event time) are replayed with their times moved on by a
/// whole number of slides each round, so the state stays in the same steady state: as many
/// auctions, panes and windows per batch in every round.
struct WindowUpdateMicroBenchmark: MicroBenchmark {
    static let name = "micro-window-update"
    static let unit = "record"
    static let operationsPerCall = 1024
    static let timedCalls = 1280
    /// Two rounds: more than a window's length, so that windows fire and free as they will.
    static let warmUpCalls = 128

    private static let slide: Int64 = 2_000
    private static let outOfOrderness: Int64 = 2_000

    private var batches: [Batch<Bid>]
    private var next = 0
    /// How far a round moves the times on.
    private let roundLength: Int64
    private var window = KeyedWindowAggregateOperator(
        key: { (bid: Bid) in bid.auction },
        assigner: .sliding(size: .seconds(10), slide: .milliseconds(WindowUpdateMicroBenchmark.slide)),
        aggregator: Count<Bid>())
    private var output = Batch<WindowOutput<Int64, Bid, Int>>()
    private var results = 0

    init() {
        batches = MicroBids.batches(count: 64 * Self.operationsPerCall, batchSize: Self.operationsPerCall)
        let span = batches.last!.times.last! - batches[0].times[0]
        roundLength = (span / Self.slide + 1) * Self.slide
    }

    mutating func run(calls: Int) throws {
        for _ in 0..<calls {
            if next == batches.count {
                next = 0
                nextRound()
            }
            try window.process(batches[next], into: &output)
            try window.onWatermark(batches[next].times.last! - Self.outOfOrderness, into: &output)
            results &+= output.count
            output.removeAll()
            next += 1
        }
    }

    private mutating func nextRound() {
        for b in batches.indices {
            for i in batches[b].times.indices { batches[b].times[i] += roundLength }
        }
    }
}
