import Testing
import SluiceCore
import SluiceOperators

private struct Boom: Error, Equatable { var at: Int }

private func input(_ records: [Int]) -> Batch<Int> {
    Batch(records: ContiguousArray(records), times: ContiguousArray(records.map { EventTime($0 * 10) }))
}

/// Runs one batch through an operator, appending to `output`.
private func run<Op: BatchOperator>(_ op: Op, _ batch: Batch<Op.Input>, into output: Batch<Op.Output> = Batch()) throws -> Batch<Op.Output> {
    var op = op
    var output = output
    try op.process(batch, into: &output)
    #expect(output.records.count == output.times.count, "records and times out of step")
    return output
}

@Suite("Stateless operators")
struct StatelessOperatorTests {
    @Test("map transforms every record and keeps its time")
    func map() throws {
        let out = try run(MapOperator<Int, String> { "#\($0)" }, input([3, 1, 2]))
        #expect(Array(out.records) == ["#3", "#1", "#2"])
        #expect(Array(out.times) == [30, 10, 20])
    }

    @Test("filter keeps the included records with their own times")
    func filter() throws {
        let out = try run(FilterOperator<Int> { $0 % 2 == 0 }, input([1, 2, 3, 4, 6, 7]))
        #expect(Array(out.records) == [2, 4, 6])
        #expect(Array(out.times) == [20, 40, 60])
    }

    @Test("compactMap drops nil results and keeps the others' times")
    func compactMap() throws {
        let out = try run(CompactMapOperator<Int, String> { $0 > 2 ? String($0) : nil }, input([5, 1, 3, 2]))
        #expect(Array(out.records) == ["5", "3"])
        #expect(Array(out.times) == [50, 30])
    }

    @Test("flatMap stamps every element with its record's time")
    func flatMap() throws {
        let out = try run(FlatMapOperator<Int, [Int]> { Array(repeating: $0, count: $0) }, input([2, 0, 3]))
        #expect(Array(out.records) == [2, 2, 3, 3, 3])
        #expect(Array(out.times) == [20, 20, 30, 30, 30])
    }

    @Test("every operator appends to the output it is given", arguments: ["map", "filter", "compactMap", "flatMap"])
    func appendsToOutput(kind: String) throws {
        let existing = Batch<Int>(records: [99], times: [-5])
        let out: Batch<Int>
        switch kind {
        case "map": out = try run(MapOperator<Int, Int> { $0 }, input([1, 2]), into: existing)
        case "filter": out = try run(FilterOperator<Int> { _ in true }, input([1, 2]), into: existing)
        case "compactMap": out = try run(CompactMapOperator<Int, Int> { $0 }, input([1, 2]), into: existing)
        default: out = try run(FlatMapOperator<Int, [Int]> { [$0] }, input([1, 2]), into: existing)
        }
        #expect(Array(out.records) == [99, 1, 2])
        #expect(Array(out.times) == [-5, 10, 20])
    }

    @Test("an empty batch gives no output")
    func emptyBatch() throws {
        #expect(try run(MapOperator<Int, Int> { $0 }, input([])).isEmpty)
        #expect(try run(FilterOperator<Int> { _ in true }, input([])).isEmpty)
        #expect(try run(FlatMapOperator<Int, [Int]> { [$0, $0] }, input([])).isEmpty)
    }

    @Test("an error thrown by the user's function leaves process", arguments: ["map", "filter", "compactMap", "flatMap"])
    func errorsPropagate(kind: String) {
        let throwAt3: @Sendable (Int) throws -> Int = { if $0 == 3 { throw Boom(at: $0) }; return $0 }
        #expect(throws: Boom(at: 3)) {
            switch kind {
            case "map": _ = try run(MapOperator(throwAt3), input([1, 2, 3, 4]))
            case "filter": _ = try run(FilterOperator<Int> { try throwAt3($0) > 0 }, input([1, 2, 3, 4]))
            case "compactMap": _ = try run(CompactMapOperator<Int, Int> { try throwAt3($0) }, input([1, 2, 3, 4]))
            default: _ = try run(FlatMapOperator<Int, [Int]> { [try throwAt3($0)] }, input([1, 2, 3, 4]))
            }
        }
    }

    @Test("default watermark and end handlers emit nothing")
    func defaultHooks() throws {
        var op = MapOperator<Int, Int> { $0 }
        var output = Batch<Int>()
        try op.onWatermark(100, into: &output)
        try op.onEnd(into: &output)
        #expect(output.isEmpty)
    }
}
