import Sluice
import SluiceNexmark

/// Nexmark q4, average price per category: the winning (highest) bid of each auction among its
/// bids with `dateTime` in `[auction.dateTime, auction.expires]`, decided when the auction
/// expires; then, per category, the running average of the winning prices.
///
/// ```swift
/// Q4.build(events)     // DataStream<CategoryAveragePrice>
/// ```
/// Output: one row each time a category gets a new winner, with the category's average over all
/// its winners so far (so the last row of a category holds its final average). Auctions without
/// a bid in their interval have no winner and change nothing.
///
/// How it is built with the DSL:
/// 1. an interval join of auctions (cut down to id, category and times) (keyed by `id`) with bids
///    (keyed by `auction`) pairs each auction with the bids in `[dateTime, dateTime + maxAuctionDuration]`;
///    the join keeps those with `dateTime <= expires`, as candidates `(auction, category, expires, price)`.
///    An auction's id is unique (`uniqueKeys: .left`), so the join keeps only the bids that come
///    before their auction, until it does: the rest find it and need not wait for another;
/// 2. keyed by auction (as the join's results are already: `reinterpretAsKeyed`, no exchange),
///    a `process` step keeps the best candidate and registers an event-time
///    timer at `expires`: when the watermark passes it — when the auction expires — it emits the
///    winner and forgets the auction. The watermark is the bids' and auctions' own, so every
///    candidate of an auction arrives before its timer fires, however the input was split;
/// 3. keyed by category, a `process` step keeps `(sum, count)` of the winning prices and emits
///    the new average for every winner. The sum is an integer, so the average does not depend on
///    the order in which winners arrive.
///
/// An auction that lasts longer than `maxAuctionDuration` stops the pipeline with an error (its
/// winner could be wrong), and so does a candidate that arrives after its auction's timer fired
/// (a late bid): neither is dropped silently. With the default generator (10,000 events/s)
/// auctions last at most ~0.34 s.
public enum Q4 {
    /// What q4 needs of an auction.
    public struct AuctionInterval: Codable, Sendable, Hashable {
        public var id: Int64
        public var category: Int64
        public var dateTime: Int64
        public var expires: Int64
    }

    /// What q4 needs of a bid.
    public struct AuctionBid: Codable, Sendable, Hashable {
        public var auction: Int64
        public var price: Int64
        public var dateTime: Int64
    }

    /// What the join keeps of an auction and one of its bids.
    public struct Candidate: Codable, Sendable, Hashable {
        public var auction: Int64
        public var category: Int64
        public var expires: Int64
        public var price: Int64
    }

    /// The highest price among an auction's candidates (all share the auction and category).
    public struct WinningBid: Aggregator, Sendable {
        public init() {}
        public func makeAccumulator() -> Candidate? { nil }
        public func add(_ candidate: Candidate, to best: inout Candidate?) {
            if let current = best, current.price >= candidate.price { return }
            best = candidate
        }
        public func result(_ best: Candidate?) -> Candidate? { best }
        public func merge(_ other: Candidate?, into best: inout Candidate?) {
            if let other { add(other, to: &best) }
        }
    }

    /// The running sum and count of a category's winning prices.
    public struct Totals: Codable, Sendable, Hashable {
        public var sum: Int64 = 0
        public var count: Int64 = 0
    }

    public static func build(_ events: DataStream<NexmarkEvent>, maxAuctionDuration: Duration = .seconds(60)) -> DataStream<CategoryAveragePrice> {
        let longest = maxAuctionDuration.milliseconds
        let auctions = events.compactMap { event -> AuctionInterval? in
            guard case .auction(let auction) = event else { return nil }
            guard auction.expires - auction.dateTime <= longest else {
                throw PipelineError("q4: auction \(auction.id) lasts \(auction.expires - auction.dateTime) ms, "
                                    + "longer than the maximum auction duration (\(longest) ms)")
            }
            return AuctionInterval(id: auction.id, category: auction.category, dateTime: auction.dateTime, expires: auction.expires)
        }
        let bids = events.compactMap { event -> AuctionBid? in
            guard case .bid(let bid) = event else { return nil }
            return AuctionBid(auction: bid.auction, price: bid.price, dateTime: bid.dateTime)
        }
        let candidates = auctions.keyed(by: \.id)
            .intervalJoin(bids.keyed(by: \.auction), between: .zero, and: maxAuctionDuration, uniqueKeys: .left,
                          id: "q4-bids-of-auctions") { auction, bid -> Candidate? in
                bid.dateTime <= auction.expires
                    ? Candidate(auction: auction.id, category: auction.category, expires: auction.expires, price: bid.price)
                    : nil
            }
        // The join's results are partitioned by auction already: no exchange before the winners.
        let winners = candidates.reinterpretAsKeyed(by: \.auction)
            .process(id: "q4-winning-bids", initialState: Candidate?.none) {
                (best: inout Candidate?, candidate: Candidate, out: inout KeyedEmitter<Int64, Candidate>) in
                guard out.watermark < candidate.expires else {
                    throw PipelineError("q4: a bid of auction \(candidate.auction) reached it after it expired "
                                        + "(watermark \(out.watermark), expiry \(candidate.expires))")
                }
                if best == nil { out.registerEventTimeTimer(at: candidate.expires) }
                WinningBid().add(candidate, to: &best)
            } onTimer: { (best: inout Candidate?, _: KeyedTimer<Int64>, out: inout KeyedEmitter<Int64, Candidate>) in
                if let best { out.emit(best) }
                out.clearState()
            }
        return winners.keyed(by: \.category)
            .process(id: "q4-average-per-category", initialState: Totals()) { totals, winner, out in
                totals.sum += winner.price
                totals.count += 1
                out.emit(CategoryAveragePrice(category: winner.category, avgPrice: Double(totals.sum) / Double(totals.count)))
            }
    }
}
