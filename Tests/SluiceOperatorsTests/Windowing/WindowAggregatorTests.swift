import Testing
import SluiceOperators

private struct Trade: Sendable {
    var price: Int
    var weight: Double
}

/// Folds `inputs` into one accumulator, or into two merged halves split at `split`.
private func aggregate<A: Aggregator>(_ aggregator: A, _ inputs: [A.Input], split: Int? = nil) -> A.Output {
    guard let split else {
        var accumulator = aggregator.makeAccumulator()
        for input in inputs { aggregator.add(input, to: &accumulator) }
        return aggregator.result(accumulator)
    }
    var left = aggregator.makeAccumulator()
    var right = aggregator.makeAccumulator()
    for input in inputs[..<split] { aggregator.add(input, to: &left) }
    for input in inputs[split...] { aggregator.add(input, to: &right) }
    aggregator.merge(right, into: &left)
    return aggregator.result(left)
}

@Suite("Built-in aggregators")
struct WindowAggregatorTests {
    fileprivate static let trades = [Trade(price: 5, weight: 0.5), Trade(price: -2, weight: 1.5), Trade(price: 9, weight: 2), Trade(price: 1, weight: 0)]

    @Test("merging two partial accumulators equals aggregating everything", arguments: 0...4)
    func mergeEqualsWhole(split: Int) {
        let trades = Self.trades
        #expect(aggregate(Count<Trade>(), trades, split: split) == 4)
        #expect(aggregate(Sum(\Trade.price), trades, split: split) == 13)
        #expect(aggregate(Sum { (trade: Trade) in trade.weight }, trades, split: split) == 4.0)
        #expect(aggregate(Min(\Trade.price), trades, split: split) == -2)
        #expect(aggregate(Max { (trade: Trade) in trade.price }, trades, split: split) == 9)
        #expect(aggregate(Average(\Trade.price), trades, split: split) == 3.25)
        #expect(aggregate(Average(\Trade.weight), trades, split: split) == 1.0)
    }

    @Test("aggregating the records themselves")
    func identity() {
        #expect(aggregate(Sum<Int, Int>(), [1, 2, 3]) == 6)
        #expect(aggregate(Min<String, String>(), ["pear", "apple", "fig"]) == "apple")
        #expect(aggregate(Max<String, String>(), ["pear", "apple", "fig"]) == "pear")
        #expect(aggregate(Average<Int>(), [1, 2]) == 1.5)
        #expect(aggregate(Average<Float>(), [0.5, 1.5]) == 1.0)
    }

    @Test("no input: count 0, sum 0, min and max nil, average nan")
    func empty() {
        #expect(aggregate(Count<Int>(), []) == 0)
        #expect(aggregate(Sum<Int, Int>(), []) == 0)
        #expect(aggregate(Min<Int, Int>(), []) == nil)
        #expect(aggregate(Max<Int, Int>(), []) == nil)
        #expect(aggregate(Average<Int>(), []).isNaN)
        // Merging an empty accumulator changes nothing.
        #expect(aggregate(Min<Int, Int>(), [3], split: 1) == 3)
        #expect(aggregate(Max<Int, Int>(), [3], split: 0) == 3)
    }

    @Test("the average of large integers keeps the low-order bits a plain Double sum loses")
    func averagePrecision() {
        let values: [Int64] = [1 << 53, 1, 1, 1, 1]
        // A plain Double sum gives 2^53 (each +1 rounds away); the exact mean is (2^53 + 4) / 5.
        #expect(aggregate(Average<Int64>(), values) == Double((1 << 53) + 4) / 5)
        #expect(aggregate(Average<Int64>(), values, split: 2) == Double((1 << 53) + 4) / 5)
    }

    @Test("aggregators are Sendable, as the DSL requires")
    func sendable() {
        func requireSendable<T: Sendable>(_: T) {}
        requireSendable(Count<Trade>())
        requireSendable(Sum(\Trade.price))
        requireSendable(Min(\Trade.price))
        requireSendable(Max(\Trade.price))
        requireSendable(Average(\Trade.weight))
    }
}
