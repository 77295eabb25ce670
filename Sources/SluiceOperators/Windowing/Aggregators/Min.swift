import SluiceCore

/// The smallest value of the records; `nil` when there were none.
///
/// ```swift
/// let cheapest = Min(\Bid.price)   // Min<Bid, Int64>, result Int64?
/// ```
public struct Min<Input, Value: Comparable>: Aggregator, @unchecked Sendable {
    // `@unchecked Sendable`: the stored closure is built only from `@Sendable` closures and
    // `Sendable` key paths; it is kept non-`@Sendable` because a `@Sendable` closure that converts
    // generic values would capture their metatypes, which Swift 6.2+ flags as non-Sendable.
    /// The value a record contributes.
    public let value: (Input) -> Value

    /// The minimum of `value(record)` over the records.
    public init(_ value: @escaping @Sendable (Input) -> Value) {
        self.value = value
    }

    /// The minimum of the property at `keyPath` over the records.
    public init(_ keyPath: KeyPath<Input, Value> & Sendable) {
        self.value = FieldAccess.reader(keyPath)
    }

    /// The minimum of the records themselves.
    public init() where Input == Value {
        self.value = { $0 }
    }

    public func makeAccumulator() -> Value? { nil }

    public func add(_ input: Input, to minimum: inout Value?) {
        let candidate = value(input)
        if let current = minimum, current <= candidate { return }
        minimum = candidate
    }

    public func result(_ minimum: Value?) -> Value? { minimum }

    public func merge(_ other: Value?, into minimum: inout Value?) {
        guard let other else { return }
        if let current = minimum, current <= other { return }
        minimum = other
    }
}
