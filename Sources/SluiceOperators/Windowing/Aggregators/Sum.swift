import SluiceCore

/// Sums a value of each record.
///
/// ```swift
/// let volume = Sum(\Bid.price)                     // from a key path
/// let doubled = Sum { (bid: Bid) in bid.price * 2 } // from a closure
/// let plain = Sum<Int, Int>()                      // of the records themselves
/// ```
/// Integer sums trap on overflow, like Swift's `+`.
public struct Sum<Input, N: AdditiveArithmetic>: Aggregator, @unchecked Sendable {
    // `@unchecked Sendable`: the stored closure is built only from `@Sendable` closures and
    // `Sendable` key paths; it is kept non-`@Sendable` because a `@Sendable` closure that converts
    // generic values would capture their metatypes, which Swift 6.2+ flags as non-Sendable.
    /// The value a record contributes.
    public let value: (Input) -> N

    /// Sums `value(record)` over the records.
    public init(_ value: @escaping @Sendable (Input) -> N) {
        self.value = value
    }

    /// Sums the property at `keyPath` over the records.
    public init(_ keyPath: KeyPath<Input, N> & Sendable) {
        self.value = FieldAccess.reader(keyPath)
    }

    /// Sums the records themselves.
    public init() where Input == N {
        self.value = { $0 }
    }

    public func makeAccumulator() -> N { .zero }
    public func add(_ input: Input, to sum: inout N) { sum += value(input) }
    public func result(_ sum: N) -> N { sum }
    public func merge(_ other: N, into sum: inout N) { sum += other }
}
