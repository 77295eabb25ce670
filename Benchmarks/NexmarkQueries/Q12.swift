import Sluice
import SluiceNexmark

/// Nexmark q12, processing-time windows: the bids of each bidder per tumbling 10 s window of
/// processing time (the clock of the instance that counts them, epoch ms).
///
/// ```swift
/// Q12.build(events)    // DataStream<BidderWindowCount>
/// ```
/// A window fires once the instance's clock passes its end (checked as records and ticks
/// arrive), and all open windows fire at the end of the input. Results depend on the speed of the
/// run: only the total per bidder is fixed.
public enum Q12 {
    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<BidderWindowCount> {
        events.compactMap { event -> Int64? in
            if case .bid(let bid) = event { return bid.bidder }
            return nil
        }
            .keyed { $0 }
            .window(.tumbling(.seconds(10)), timeDomain: .processingTime)
            .aggregate(Count<Int64>(), id: "q12-bids-per-bidder")
            .map { BidderWindowCount(bidder: $0.key, count: $0.value, windowStart: $0.window.start, windowEnd: $0.window.end) }
    }
}
