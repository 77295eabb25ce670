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
/// 1. an interval join of auctions (cut down to id, category and times) (keyed by `id`) with bids (keyed by `auction`) pairs each
///    auction with the bids in `[dateTime, dateTime + maxAuctionDuration]`; the join keeps those
///    with `dateTime <= expires`, as candidates `(auction, category, expires, price)`;
/// 2. the candidates take `expires` as their event time (`withEventTime`), with an
///    out-of-orderness of `maxAuctionDuration` plus `candidateDisorder` (a candidate is produced
///    near its bid's time, at most `maxAuctionDuration` before its auction expires);
/// 3. keyed by auction, a tumbling window of 1 ms holds exactly one auction's candidates at
///    `[expires, expires + 1)`: it fires when the watermark passes `expires` — when the auction
///    expires — with the highest price (an incremental `WinningBid` aggregate);
/// 4. keyed by category, a `process` step keeps `(sum, count)` of the winning prices and emits
///    the new average for every winner. The sum is an integer, so the average does not depend on
///    the order in which winners arrive.
///
/// The DSL's keyed `process` has no timers, so "emit when the auction expires" is expressed as a
/// window at the expiry time. An auction that lasts longer than `maxAuctionDuration` stops the
/// pipeline with an error (its winner could be wrong), and so does a candidate that arrives
/// after its auction's window fired (more disorder than `candidateDisorder`): neither is
/// dropped silently. With the default generator (10,000 events/s) auctions last at most ~0.34 s.
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

    public static func build(_ events: DataStream<NexmarkEvent>, maxAuctionDuration: Duration = .seconds(60),
                             candidateDisorder: Duration = .seconds(10)) -> DataStream<CategoryAveragePrice> {
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
            .intervalJoin(bids.keyed(by: \.auction), between: .zero, and: maxAuctionDuration,
                          id: "q4-bids-of-auctions") { auction, bid -> Candidate? in
                bid.dateTime <= auction.expires
                    ? Candidate(auction: auction.id, category: auction.category, expires: auction.expires, price: bid.price)
                    : nil
            }
        let winners = candidates
            .withEventTime({ $0.expires }, maxOutOfOrderness: maxAuctionDuration + candidateDisorder)
            .keyed(by: \.auction)
            .window(.tumbling(.milliseconds(1)))
            .aggregate(WinningBid(), id: "q4-winning-bids", lateRecords: { late in
                late.map { candidate -> Candidate in
                    throw PipelineError("q4: a bid of auction \(candidate.auction) reached it after it expired "
                                        + "(more disorder than \(candidateDisorder))")
                }.discard()
            })
            .compactMap(\.value)
        return winners.keyed(by: \.category)
            .process(id: "q4-average-per-category", initialState: Totals()) { totals, winner, out in
                totals.sum += winner.price
                totals.count += 1
                out.emit(CategoryAveragePrice(category: winner.category, avgPrice: Double(totals.sum) / Double(totals.count)))
            }
    }
}
