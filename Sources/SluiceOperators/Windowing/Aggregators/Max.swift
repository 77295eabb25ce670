import SluiceCore

/// The greatest value of the records; `nil` when there were none.
///
/// ```swift
/// let highest = Max(\Bid.price)   // Max<Bid, Int64>, result Int64?
/// ```
public struct Max<Input, Value: Comparable>: Aggregator, @unchecked Sendable {
    // `@unchecked Sendable`: the stored closure is built only from `@Sendable` closures and
    // `Sendable` key paths; it is kept non-`@Sendable` because a `@Sendable` closure that converts
    // generic values would capture their metatypes, which Swift 6.2+ flags as non-Sendable.
    /// The value a record contributes.
    public let value: (Input) -> Value

    /// The maximum of `value(record)` over the records.
    public init(_ value: @escaping @Sendable (Input) -> Value) {
        self.value = value
    }

    /// The maximum of the property at `keyPath` over the records.
    public init(_ keyPath: KeyPath<Input, Value> & Sendable) {
        self.value = FieldAccess.reader(keyPath)
    }

    /// The maximum of the records themselves.
    public init() where Input == Value {
        self.value = { $0 }
    }

    public func makeAccumulator() -> Value? { nil }

    public func add(_ input: Input, to maximum: inout Value?) {
        let candidate = value(input)
        if let current = maximum, current >= candidate { return }
        maximum = candidate
    }

    public func result(_ maximum: Value?) -> Value? { maximum }

    public func merge(_ other: Value?, into maximum: inout Value?) {
        guard let other else { return }
        if let current = maximum, current >= other { return }
        maximum = other
    }
}
