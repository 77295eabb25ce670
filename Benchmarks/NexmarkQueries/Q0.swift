import Sluice
import SluiceNexmark

/// Nexmark q0, pass-through: every bid, unchanged.
///
/// ```swift
/// Q0.build(events).sink("out", format: .jsonLines)   // the input's bid lines, `"type":"bid"` first
/// ```
/// It measures the engine's fixed cost: source, event-time stamping, a fused `compactMap`, the sink.
public enum Q0 {
    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<Bid> {
        events.bids()
    }
}
