import SluiceNexmark

/// A result row that says from when its latency counts, for latency benchmarks: the event time of
/// the input record it came from, or the end of the window it closes.
public protocol LatencyTimed {
    /// The event time (epoch ms) from which the row's latency counts.
    var latencyOrigin: Int64 { get }
    /// Whether `latencyOrigin` is a window's end: the row cannot leave before the watermark passes
    /// it, so its latency counts from then.
    static var closesWindow: Bool { get }
}

extension Bid: LatencyTimed {
    public var latencyOrigin: Int64 { dateTime }
    public static var closesWindow: Bool { false }
}

extension ConvertedBid: LatencyTimed {
    public var latencyOrigin: Int64 { dateTime }
    public static var closesWindow: Bool { false }
}

extension HotItem: LatencyTimed {
    public var latencyOrigin: Int64 { windowStart + Q5.windowMilliseconds }
    public static var closesWindow: Bool { true }
}

extension HighestBid: LatencyTimed {
    public var latencyOrigin: Int64 { windowStart + Q7.windowMilliseconds }
    public static var closesWindow: Bool { true }
}

extension NewUser: LatencyTimed {
    public var latencyOrigin: Int64 { windowStart + Q8.windowMilliseconds }
    public static var closesWindow: Bool { true }
}
