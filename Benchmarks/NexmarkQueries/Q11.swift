import Sluice
import SluiceNexmark

/// Nexmark q11, user sessions: the bids of each bidder per session window with a 10 s gap (a
/// session is `[first bid's time, last bid's time + 10 s)`; a bid 10 s or more after the
/// previous one starts a new session).
///
/// ```swift
/// Q11.build(events)    // DataStream<BidderWindowCount>
/// ```
/// Only each bid's bidder travels. An incremental `Count` per bidder and session; sessions that a bid bridges are merged, and a
/// session is emitted and freed when the watermark passes its end.
public enum Q11 {
    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<BidderWindowCount> {
        events.compactMap { event -> Int64? in
            if case .bid(let bid) = event { return bid.bidder }
            return nil
        }
            .keyed { $0 }
            .window(.session(gap: .seconds(10)))
            .aggregate(Count<Int64>(), id: "q11-sessions")
            .map { BidderWindowCount(bidder: $0.key, count: $0.value, windowStart: $0.window.start, windowEnd: $0.window.end) }
    }
}
