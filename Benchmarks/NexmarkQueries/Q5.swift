import Sluice
import SluiceNexmark

/// Nexmark q5, hot items: per sliding window of 10 s every 2 s, the auctions with the most bids
/// (every auction tied for the maximum).
///
/// ```swift
/// Q5.build(events)     // DataStream<HotItem>
/// ```
/// Only each bid's auction id travels (a projection in the fused `compactMap`). Bids keyed by auction are counted per window incrementally (one counter per auction and 2 s
/// pane, shared by the 5 windows that contain the pane); each window's counts then meet, keyed by
/// window, in `maxPerWindow`, which keeps only the current maximal ones. State is freed as the
/// watermark passes each window.
public enum Q5 {
    /// The length of a window.
    public static let windowMilliseconds: Int64 = 10_000

    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<HotItem> {
        events.compactMap { event -> Int64? in
            if case .bid(let bid) = event { return bid.auction }
            return nil
        }
            .keyed { $0 }
            .window(.sliding(size: .milliseconds(windowMilliseconds), slide: .seconds(2)))
            .aggregate(Count<Int64>(), id: "q5-bids-per-auction")
            .maxPerWindow(id: "q5-hottest-auctions") { $0.value < $1.value }
            .map { HotItem(windowStart: $0.window.start, auction: $0.key, count: $0.value) }
    }
}
