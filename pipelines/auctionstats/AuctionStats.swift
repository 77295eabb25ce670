import Sluice

/// Nexmark events in, and for every bid the updated statistics of its auction out:
/// `{"auction":A,"bids":N,"maxPrice":P}`. The last line per auction holds its totals.
///
///     auctionstats --input events=events.jsonl --output out=stats.jsonl --parallelism 2
@main
struct AuctionStatsPipeline: PipelineMain {
    static func define(_ p: inout PipelineBuilder) throws {
        p.source("events", format: .jsonLines(NexmarkLine.self))
            .compactMap(\.bid)
            .keyed(by: \.auction)
            .aggregate(AuctionStatsAggregator(), id: "auction-stats")
            .sink("out", format: .jsonLines)
    }
}

/// A bid's auction and price: all this pipeline needs of an event.
struct BidSummary: Sendable {
    var auction: Int64
    var price: Int64
}

/// One line of a Nexmark event file: the bid in it, or nil for people and auctions.
/// A line that says it is a bid but lacks a bid's fields is a bad record.
struct NexmarkLine: Decodable, Sendable {
    var bid: BidSummary?

    private enum CodingKeys: String, CodingKey {
        case type, auction, price
    }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        guard try fields.decode(String.self, forKey: .type) == "bid" else { return }
        bid = BidSummary(auction: try fields.decode(Int64.self, forKey: .auction),
                         price: try fields.decode(Int64.self, forKey: .price))
    }
}

/// The output row. `PlainEncodable`: a flat struct whose encoding is its stored fields in order,
/// so the encoder may write them directly.
struct AuctionStats: Codable, PlainEncodable, Sendable, Equatable {
    var auction: Int64
    var bids: Int64
    var maxPrice: Int64
}

/// Counts bids and keeps the highest price, per auction.
struct AuctionStatsAggregator: Aggregator, Sendable {
    func makeAccumulator() -> AuctionStats {
        AuctionStats(auction: 0, bids: 0, maxPrice: 0)
    }

    func add(_ bid: BidSummary, to stats: inout AuctionStats) {
        stats.auction = bid.auction
        stats.bids += 1
        stats.maxPrice = max(stats.maxPrice, bid.price)
    }

    func result(_ stats: AuctionStats) -> AuctionStats {
        stats
    }

    func merge(_ other: AuctionStats, into stats: inout AuctionStats) {
        stats.bids += other.bids
        stats.maxPrice = max(stats.maxPrice, other.maxPrice)
    }
}
