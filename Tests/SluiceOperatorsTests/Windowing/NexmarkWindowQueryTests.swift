import Testing
import SluiceCore
import SluiceOperators

private struct Bid: Hashable, Sendable {
    var auction: Int
    var bidder: Int
    var price: Int
}

/// Nexmark queries built from the window operators alone, checked against a direct computation.
@Suite("Nexmark-shaped window pipelines")
struct NexmarkWindowQueryTests {
    /// Seeded bids: every 10 ms one bid, auctions 0..<8 (auction 3 is hot), bidders 0..<5.
    private static func bids(count: Int, seed: UInt64) -> [(Bid, EventTime)] {
        var random = WindowTestRandom(seed: seed)
        return (0..<count).map { n in
            let auction = Bool.random(using: &random) ? 3 : Int.random(in: 0..<8, using: &random)
            let bid = Bid(auction: auction, bidder: Int.random(in: 0..<5, using: &random), price: Int.random(in: 1...20, using: &random))
            return (bid, EventTime(n * 10))
        }
    }

    @Test("q5: per sliding window, the auctions whose bid count equals the window's maximum", arguments: 0..<4)
    func q5(seed: Int) throws {
        let input = Self.bids(count: 600, seed: UInt64(seed))
        var counts = KeyedWindowAggregateOperator(key: { (bid: Bid) in bid.auction }, assigner: .sliding(size: 1_000, slide: 200),
                                                  aggregator: Count<Bid>())
        var hot = WindowTopOperator<WindowResult<Int, Int>>(window: \.window, by: { $0.value < $1.value }, selection: .allMaximal)
        var rows: [WindowResult<Int, Int>] = []
        // Feed the counts to the top operator as the runtime would: batch, then the same watermark.
        func forward(_ output: Batch<WindowOutput<Int, Bid, Int>>, watermark: EventTime?) throws {
            var results = Batch<WindowResult<Int, Int>>()
            for (record, time) in zip(output.records, output.times) {
                if let result = record.result { results.append(result, time: time) }
            }
            var selected = Batch<WindowTopOutput<WindowResult<Int, Int>>>()
            try hot.process(results, into: &selected)
            if let watermark { try hot.onWatermark(watermark, into: &selected) }
            rows += selected.records.compactMap(\.selected)
            #expect(selected.records.allSatisfy { $0.lateRecord == nil })
        }
        for chunk in stride(from: 0, to: input.count, by: 50) {
            let slice = input[chunk..<min(chunk + 50, input.count)]
            var output = Batch<WindowOutput<Int, Bid, Int>>()
            try counts.process(Batch(records: ContiguousArray(slice.map(\.0)), times: ContiguousArray(slice.map(\.1))), into: &output)
            let watermark = slice.last!.1
            try counts.onWatermark(watermark, into: &output)
            try forward(output, watermark: watermark)
        }
        var output = Batch<WindowOutput<Int, Bid, Int>>()
        try counts.onWatermark(.endOfTime, into: &output)
        try forward(output, watermark: .endOfTime)

        // Direct computation: for every window, count per auction and keep the maximal ones.
        var expected: [WindowResult<Int, Int>] = []
        let windows = Set(input.flatMap { WindowAssigner.sliding(size: 1_000, slide: 200).windows(containing: $0.1) })
        for window in windows {
            let perAuction = Dictionary(grouping: input.filter { window.contains($0.1) }, by: \.0.auction).mapValues(\.count)
            let best = perAuction.values.max()!
            expected += perAuction.filter { $0.value == best }.map { WindowResult(key: $0.key, window: window, value: $0.value) }
        }
        #expect(windowTestMultiset(rows) == windowTestMultiset(expected))
        #expect(rows.map(\.window) == rows.map(\.window).sorted(), "windows come out in end order")
    }

    @Test("q7: per tumbling window, every bid whose price equals the window's maximum")
    func q7() throws {
        let input = Self.bids(count: 500, seed: 9)
        var top = WindowTopOperator<(bid: Bid, window: Window)>(window: \.window, by: { $0.bid.price < $1.bid.price }, selection: .allMaximal)
        let tumbling = WindowAssigner.tumbling(size: 1_000)
        var output = Batch<WindowTopOutput<(bid: Bid, window: Window)>>()
        try top.process(Batch(records: ContiguousArray(input.map { ($0.0, tumbling.windows(containing: $0.1)[0]) }),
                              times: ContiguousArray(input.map(\.1))), into: &output)
        try top.onEnd(into: &output)
        let selected = output.records.compactMap(\.selected)
        let expected = Dictionary(grouping: input, by: { tumbling.windows(containing: $0.1)[0] }).flatMap { window, bids in
            let best = bids.map(\.0.price).max()!
            return bids.filter { $0.0.price == best }.map { "\(window)\($0.0)" }
        }
        #expect(windowTestMultiset(selected.map { "\($0.window)\($0.bid)" }) == windowTestMultiset(expected))
    }

    @Test("q11: bids per bidder in session windows")
    func q11() throws {
        // Bidder 1 bids at 0, 4000, 9000 (one session), then at 30000; bidder 2 once at 5000.
        let input: [(Bid, EventTime)] = [
            (Bid(auction: 1, bidder: 1, price: 1), 0), (Bid(auction: 1, bidder: 1, price: 1), 4_000),
            (Bid(auction: 1, bidder: 2, price: 1), 5_000), (Bid(auction: 1, bidder: 1, price: 1), 9_000),
            (Bid(auction: 1, bidder: 1, price: 1), 30_000),
        ]
        var op = KeyedWindowAggregateOperator(key: { (bid: Bid) in bid.bidder }, assigner: .session(gap: .seconds(10)),
                                              aggregator: Count<Bid>())
        var output = Batch<WindowOutput<Int, Bid, Int>>()
        try op.process(Batch(records: ContiguousArray(input.map(\.0)), times: ContiguousArray(input.map(\.1))), into: &output)
        try op.onWatermark(.endOfTime, into: &output)
        #expect(Array(output.records.compactMap(\.result)) == [
            WindowResult(key: 2, window: Window(start: 5_000, end: 15_000), value: 1),
            WindowResult(key: 1, window: Window(start: 0, end: 19_000), value: 3),
            WindowResult(key: 1, window: Window(start: 30_000, end: 40_000), value: 1),
        ])
    }
}
