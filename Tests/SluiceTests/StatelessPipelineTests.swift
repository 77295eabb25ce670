import Testing
import Sluice

@Suite("Pipelines of stateless steps")
struct StatelessPipelineTests {
    static let input = Array(0..<5000)

    /// What map ×3, filter even, compactMap (drop multiples of 5), flatMap [x, -x] make of the input.
    static func expected() -> [Int] {
        let tripled: [Int] = input.map { $0 * 3 }
        let even: [Int] = tripled.filter { $0 % 2 == 0 }
        let kept: [Int] = even.compactMap { (x: Int) -> Int? in x % 5 == 0 ? nil : x }
        return kept.flatMap { (x: Int) -> [Int] in [x, -x] }
    }

    @Test("map, filter, compactMap and flatMap after the source", arguments: [1, 2, 4])
    func fusedAfterSource(parallelism: Int) throws {
        let results = CollectedRecords<String>()
        let pipeline = Pipeline { p in
            p.source(elements: Self.input)
                .map { $0 * 3 }
                .filter { $0 % 2 == 0 }
                .compactMap { $0 % 5 == 0 ? nil : $0 }
                .flatMap { [$0, -$0] }
                .map { String($0) }
                .collect(into: results)
        }
        let summary = try pipeline.run(smallBatchOptions(parallelism: parallelism))
        let expected: [String] = Self.expected().map { String($0) }
        // One source instance, all fused: even the order is kept.
        #expect(results.records == expected)
        #expect(summary.recordsIn == Self.input.count)
    }

    @Test("the same steps after a rebalance, in parallel instances", arguments: [1, 2, 4])
    func afterRebalance(parallelism: Int) throws {
        let results = CollectedRecords<Int>()
        let pipeline = Pipeline { p in
            p.source(elements: Self.input)
                .rebalance()
                .map { $0 * 3 }
                .filter { $0 % 2 == 0 }
                .compactMap { $0 % 5 == 0 ? nil : $0 }
                .flatMap { [$0, -$0] }
                .collect(into: results)
        }
        try pipeline.run(smallBatchOptions(parallelism: parallelism))
        let expected: [Int] = Self.expected()
        #expect(results.records.sorted() == expected.sorted())
    }

    @Test("rebalance keeps every record exactly once", arguments: [1, 2, 4])
    func rebalance(parallelism: Int) throws {
        let results = CollectedRecords<Int>()
        try Pipeline { p in
            p.source(elements: Self.input).rebalance().collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        #expect(results.records.sorted() == Self.input)
    }

    @Test("merge interleaves the records of all its inputs", arguments: [1, 2, 4])
    func merge(parallelism: Int) throws {
        let results = CollectedRecords<Int>()
        try Pipeline { p in
            let a = p.source(elements: Array(0..<1000))
            let b = p.source(elements: Array(1000..<2500)).map { $0 }
            let c = p.source(elements: Array(2500..<2600)).rebalance()
            a.merge(b, c).map { $0 + 1 }.collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        let merged = results.records
        #expect(merged.sorted() == Array(1...2600))
        // Each input's records keep their relative order (one source instance each, FIFO channels).
        #expect(merged.filter { $0 <= 1000 } == Array(1...1000))
        #expect(merged.filter { $0 > 1000 && $0 <= 2500 } == Array(1001...2500))
    }

    @Test("broadcast gives every instance of the next step every record", arguments: [1, 2, 4])
    func broadcast(parallelism: Int) throws {
        let results = CollectedRecords<Int>()
        try Pipeline { p in
            p.source(elements: Array(0..<500)).broadcast().map { $0 * 2 }.collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        let seen = counts(results.records)
        #expect(seen.count == 500)
        #expect(seen.keys.sorted() == (0..<500).map { $0 * 2 })
        #expect(Set(seen.values) == [parallelism])
    }

    @Test("one stream feeding two steps: each gets every record")
    func fanOut() throws {
        let doubled = CollectedRecords<Int>()
        let odd = CollectedRecords<Int>()
        try Pipeline { p in
            let numbers = p.source(elements: Array(0..<1000))
            numbers.map { $0 * 2 }.collect(into: doubled)
            numbers.filter { $0 % 2 == 1 }.collect(into: odd)
        }.run(smallBatchOptions(parallelism: 2))
        #expect(doubled.records == (0..<1000).map { $0 * 2 })
        #expect(odd.records == (0..<1000).filter { $0 % 2 == 1 })
    }

    @Test("an empty source ends the pipeline with no output", arguments: [1, 4])
    func emptySource(parallelism: Int) throws {
        let results = CollectedRecords<Int>()
        let summary = try Pipeline { p in
            p.source(elements: [Int]()).rebalance().keyed(by: { $0 }).reduce(id: "sum") { $0 + $1 }.collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        #expect(results.records.isEmpty)
        #expect(summary.recordsIn == 0)
    }
}
