import Sluice

/// Bids per auction in sliding event-time windows of 10 s every 2 s (design.md §1):
/// `{"auction":A,"windowStart":S,"windowEnd":E,"bids":N}` for every auction and window.
///
///     topbids --input bids=events.jsonl --output out=counts.jsonl --parallelism 2 \
///             --checkpoint-dir ck --checkpoint-interval 5s
@main
struct TopBids: PipelineMain {
    static func define(_ p: inout PipelineBuilder) throws {
        p.source("bids", format: .jsonLines(EventLine.self))
            .compactMap(\.bid)
            // Instances reading ahead of the slowest in event time wait: window state stays bounded.
            .withEventTime(\.dateTime, maxOutOfOrderness: .seconds(2),
                           alignment: WatermarkAlignment(group: "bids", maxDrift: .seconds(10)))
            .keyed(by: \.auction)
            .window(.sliding(size: .seconds(10), slide: .seconds(2)))
            .aggregate(Count(), id: "bids-per-auction")
            .map { BidCount(auction: $0.key, windowStart: $0.window.start, windowEnd: $0.window.end, bids: $0.value) }
            .sink("out", format: .jsonLines)
    }
}

/// What the window needs of a bid.
struct BidTime: Sendable {
    var auction: Int64
    var dateTime: Int64
}

/// One Nexmark event line: its bid, or nil for people and auctions.
struct EventLine: Decodable, Sendable {
    var bid: BidTime?

    private enum CodingKeys: String, CodingKey {
        case type, auction, dateTime
    }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        guard try fields.decode(String.self, forKey: .type) == "bid" else { return }
        bid = BidTime(auction: try fields.decode(Int64.self, forKey: .auction),
                      dateTime: try fields.decode(Int64.self, forKey: .dateTime))
    }
}

/// The output row.
struct BidCount: Codable, PlainEncodable, Sendable {
    var auction: Int64
    var windowStart: Int64
    var windowEnd: Int64
    var bids: Int
}
