/// An incremental aggregation: an accumulator per key that absorbs one input at a time,
/// so state stays one value per key however many records arrive.
///
/// ```swift
/// struct MaxPrice: Aggregator {
///     func makeAccumulator() -> Int64 { 0 }
///     func add(_ bid: Bid, to max: inout Int64) { max = Swift.max(max, bid.price) }
///     func result(_ max: Int64) -> Int64 { max }
///     func merge(_ other: Int64, into max: inout Int64) { max = Swift.max(max, other) }
/// }
/// ```
/// `merge` lets windows share work: sliding windows combine the accumulators of their panes,
/// and session windows combine the accumulators of the sessions a record bridges.
public protocol Aggregator<Input, Output> {
    associatedtype Input
    associatedtype Accumulator
    associatedtype Output

    /// The accumulator of a key that has seen no input yet.
    func makeAccumulator() -> Accumulator
    /// Folds one input into the accumulator.
    func add(_ input: Input, to accumulator: inout Accumulator)
    /// The current result of an accumulator.
    func result(_ accumulator: Accumulator) -> Output
    /// Folds another accumulator (of the same key) into `accumulator`.
    func merge(_ other: Accumulator, into accumulator: inout Accumulator)
}
