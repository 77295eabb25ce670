import SluiceCore

/// The arithmetic mean of a numeric value of the records, as a `Double`; `nan` when there were none.
///
/// ```swift
/// let meanPrice = Average(\Bid.price)          // integer values
/// let meanRate = Average { (r: Reading) in r.celsius }  // floating-point values
/// ```
/// Values are summed as `Double` with Neumaier's compensated summation, so a sum of many integers
/// stays exact well beyond what a plain `Double` sum keeps (and never overflows as an integer sum
/// would); merging keeps the compensation.
public struct Average<Input>: Aggregator, @unchecked Sendable {
    /// A running compensated sum and count (`Codable`, so that checkpoints can save it).
    public struct Accumulator: Sendable, Hashable, Codable {
        /// The sum, without the low-order bits lost so far.
        public var sum: Double = 0
        /// The low-order bits the additions to `sum` lost.
        public var compensation: Double = 0
        /// The number of values.
        public var count: Int = 0

        /// Adds `value` to the sum (Neumaier: the smaller operand's lost bits go to `compensation`).
        @inlinable
        public mutating func add(_ value: Double) {
            let total = sum + value
            if abs(sum) >= abs(value) {
                compensation += (sum - total) + value
            } else {
                compensation += (value - total) + sum
            }
            sum = total
        }
    }

    // `@unchecked Sendable`: the stored closure is built only from `@Sendable` closures and
    // `Sendable` key paths; it is kept non-`@Sendable` because a `@Sendable` closure that converts
    // generic values would capture their metatypes, which Swift 6.2+ flags as non-Sendable.
    /// The value a record contributes, converted to `Double`.
    public let value: (Input) -> Double

    /// The mean of an integer value of the records.
    public init<V: BinaryInteger>(_ value: @escaping @Sendable (Input) -> V) {
        self.value = { Double(value($0)) }
    }

    /// The mean of a floating-point value of the records.
    public init<V: BinaryFloatingPoint>(_ value: @escaping @Sendable (Input) -> V) {
        self.value = { Double(value($0)) }
    }

    /// The mean of the integer property at `keyPath`.
    public init<V: BinaryInteger>(_ keyPath: KeyPath<Input, V> & Sendable) {
        let read = FieldAccess.reader(keyPath)
        self.value = { Double(read($0)) }
    }

    /// The mean of the floating-point property at `keyPath`.
    public init<V: BinaryFloatingPoint>(_ keyPath: KeyPath<Input, V> & Sendable) {
        let read = FieldAccess.reader(keyPath)
        self.value = { Double(read($0)) }
    }

    /// The mean of the records themselves (integers).
    public init() where Input: BinaryInteger {
        self.value = { Double($0) }
    }

    /// The mean of the records themselves (floating point).
    public init() where Input: BinaryFloatingPoint {
        self.value = { Double($0) }
    }

    public func makeAccumulator() -> Accumulator { Accumulator() }

    public func add(_ input: Input, to accumulator: inout Accumulator) {
        accumulator.add(value(input))
        accumulator.count += 1
    }

    public func result(_ accumulator: Accumulator) -> Double {
        accumulator.count == 0 ? .nan : (accumulator.sum + accumulator.compensation) / Double(accumulator.count)
    }

    public func merge(_ other: Accumulator, into accumulator: inout Accumulator) {
        accumulator.add(other.sum)
        accumulator.compensation += other.compensation
        accumulator.count += other.count
    }
}
