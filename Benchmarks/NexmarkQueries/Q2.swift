import Sluice
import SluiceNexmark

/// Nexmark q2, selection: the auction and price of the bids on auctions whose id is a multiple
/// of 123.
///
/// ```swift
/// Q2.build(events)     // DataStream<AuctionPrice>: one fused compactMap
/// ```
public enum Q2 {
    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<AuctionPrice> {
        events.compactMap { event in
            guard case .bid(let bid) = event, bid.auction % 123 == 0 else { return nil }
            return AuctionPrice(auction: bid.auction, price: bid.price)
        }
    }
}
