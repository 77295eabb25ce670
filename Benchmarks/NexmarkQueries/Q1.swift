import Sluice
import SluiceNexmark

/// Nexmark q1, currency conversion: every bid with its price (cents) times 0.908, as a `Double`.
///
/// ```swift
/// Q1.build(events)     // DataStream<ConvertedBid>: map, fused into the source's instances
/// ```
public enum Q1 {
    /// The dollar-to-euro rate of the benchmark.
    public static let rate = 0.908

    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<ConvertedBid> {
        events.bids().map { bid in
            ConvertedBid(auction: bid.auction, bidder: bid.bidder, price: Double(bid.price) * rate,
                         channel: bid.channel, url: bid.url, dateTime: bid.dateTime, extra: bid.extra)
        }
    }
}
