import Testing
import NexmarkQueries
import Sluice
import SluiceNexmark

/// Hand-made inputs where maxima tie, which generated events rarely produce.
@Suite("Ties are kept")
struct TieTests {
    static let base: Int64 = 1_735_689_600_000

    static func bid(_ auction: Int64, bidder: Int64 = 7, price: Int64, at offset: Int64) -> NexmarkEvent {
        .bid(Bid(auction: auction, bidder: bidder, price: price, channel: "Google", url: "https://x", dateTime: base + offset, extra: ""))
    }

    static func run<Row>(_ events: [NexmarkEvent], parallelism: Int,
                         _ build: @escaping (DataStream<NexmarkEvent>) -> DataStream<Row>) throws -> [Row] {
        let rows = CollectedRecords<Row>()
        try Pipeline { p in build(p.nexmarkEvents(.elements(events))).collect(into: rows) }.run(RunOptions(parallelism: parallelism))
        return rows.records
    }

    @Test("q5 keeps every auction tied for the most bids", arguments: [1, 3])
    func q5(parallelism: Int) throws {
        // In [base, base + 2 s): auctions 1 and 2 have 3 bids each, auction 3 one; then auction 3
        // alone at base + 11 s.
        let events = [Self.bid(1, price: 1, at: 0), Self.bid(2, price: 1, at: 100), Self.bid(1, price: 1, at: 200),
                      Self.bid(3, price: 1, at: 300), Self.bid(2, price: 1, at: 400), Self.bid(2, price: 1, at: 1_500),
                      Self.bid(1, price: 1, at: 1_999), Self.bid(3, price: 1, at: 11_000)]
        let rows = try Self.run(events, parallelism: parallelism, Q5.build)
        expectSameRows(rows, Reference.q5(events))
        let first = rows.filter { $0.windowStart == Self.base }
        #expect(Set(first.map(\.auction)) == [1, 2] && first.allSatisfy { $0.count == 3 })
    }

    @Test("q7 keeps every bid with the window's highest price", arguments: [1, 3])
    func q7(parallelism: Int) throws {
        // Price 500 twice in the first window; in the second 500 twice, then 564 twice.
        let events = [Self.bid(1, bidder: 1, price: 500, at: 0), Self.bid(2, bidder: 2, price: 20, at: 1_000),
                      Self.bid(3, bidder: 3, price: 500, at: 9_999), Self.bid(4, bidder: 4, price: 499, at: 5_000),
                      Self.bid(5, bidder: 5, price: 500, at: 10_000), Self.bid(5, bidder: 6, price: 500, at: 10_001),
                      Self.bid(6, bidder: 7, price: 564, at: 12_000), Self.bid(6, bidder: 8, price: 564, at: 19_999)]
        let rows = try Self.run(events, parallelism: parallelism, Q7.build)
        expectSameRows(rows, Reference.q7(events))
        #expect(rows.filter { $0.windowStart == Self.base }.map(\.bidder).sorted() == [1, 3])
        #expect(rows.filter { $0.windowStart == Self.base + 10_000 }.map(\.bidder).sorted() == [7, 8])
    }

    @Test("q11 splits sessions at a gap of exactly 10 s and merges closer bids")
    func q11() throws {
        let events = [Self.bid(1, bidder: 1, price: 1, at: 0), Self.bid(1, bidder: 1, price: 1, at: 9_999),
                      Self.bid(1, bidder: 1, price: 1, at: 19_999), Self.bid(1, bidder: 2, price: 1, at: 5_000),
                      Self.bid(1, bidder: 1, price: 1, at: 40_000)]
        let rows = try Self.run(events, parallelism: 2, Q11.build)
        expectSameRows(rows, Reference.q11(events))
        #expect(Set(rows) == [
            BidderWindowCount(bidder: 1, count: 2, windowStart: Self.base, windowEnd: Self.base + 19_999),
            BidderWindowCount(bidder: 1, count: 1, windowStart: Self.base + 19_999, windowEnd: Self.base + 29_999),
            BidderWindowCount(bidder: 2, count: 1, windowStart: Self.base + 5_000, windowEnd: Self.base + 15_000),
            BidderWindowCount(bidder: 1, count: 1, windowStart: Self.base + 40_000, windowEnd: Self.base + 50_000),
        ])
    }
}
