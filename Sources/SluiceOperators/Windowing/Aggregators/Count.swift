/// Counts records.
///
/// ```swift
/// bids.keyed(by: \.auction).window(.tumbling(.seconds(10))).aggregate(Count(), id: "bids")
/// ```
public struct Count<Input>: Aggregator, Sendable {
    /// Creates a counter.
    public init() {}

    public func makeAccumulator() -> Int { 0 }
    public func add(_ input: Input, to count: inout Int) { count += 1 }
    public func result(_ count: Int) -> Int { count }
    public func merge(_ other: Int, into count: inout Int) { count += other }
}
