import Sluice
import SluiceNexmark

/// Nexmark q7, highest bid: per tumbling 10 s window, every bid whose price is the window's
/// highest.
///
/// ```swift
/// Q7.build(events)     // DataStream<HighestBid>
/// ```
/// Two steps, so that no single instance sees every bid: bids (cut down to the row's fields) are
/// spread by a shard key (the price modulo `shards`) over the keyed stage's instances, where each
/// shard keeps per window only its highest price and the bids that have it (`HighestBids`,
/// incremental); when a window fires, its at most `shards` shard results meet, keyed by window, in
/// `maxPerWindow`, which keeps the shards tied for the maximum; their bids are the rows.
public enum Q7 {
    /// The length of a window.
    public static let windowMilliseconds: Int64 = 10_000

    /// The number of shards bids are pre-aggregated in.
    public static let shards: Int64 = 64

    /// What q7 needs of a bid.
    public struct PricedBid: Codable, Sendable, Hashable {
        public var auction: Int64
        public var bidder: Int64
        public var price: Int64
        public var dateTime: Int64
    }

    /// The bids of a shard and window with the highest price so far.
    public struct Highest: Codable, Sendable, Hashable {
        public var price: Int64 = .min
        public var bids: [PricedBid] = []
    }

    /// Keeps the highest price and every bid that has it.
    public struct HighestBids: Aggregator, Sendable {
        public init() {}
        public func makeAccumulator() -> Highest { Highest() }
        public func add(_ bid: PricedBid, to highest: inout Highest) {
            if bid.price > highest.price {
                highest.price = bid.price
                highest.bids.removeAll(keepingCapacity: true)
                highest.bids.append(bid)
            } else if bid.price == highest.price {
                highest.bids.append(bid)
            }
        }
        public func result(_ highest: Highest) -> Highest { highest }
        public func merge(_ other: Highest, into highest: inout Highest) {
            if other.price > highest.price {
                highest = other
            } else if other.price == highest.price {
                highest.bids.append(contentsOf: other.bids)
            }
        }
    }

    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<HighestBid> {
        events.compactMap { event -> PricedBid? in
            guard case .bid(let bid) = event else { return nil }
            return PricedBid(auction: bid.auction, bidder: bid.bidder, price: bid.price, dateTime: bid.dateTime)
        }
            .keyed { $0.price % shards }
            .window(.tumbling(.milliseconds(windowMilliseconds)))
            .aggregate(HighestBids(), id: "q7-highest-per-shard")
            .maxPerWindow(id: "q7-highest-per-window") { $0.value.price < $1.value.price }
            .flatMap { result in
                result.value.bids.map { bid in
                    HighestBid(windowStart: result.window.start, auction: bid.auction, bidder: bid.bidder,
                               price: bid.price, dateTime: bid.dateTime)
                }
            }
    }
}
