import Testing
import Sluice

/// A step of a plan without its id: label, parallelism, connection and input ids.
private struct S: Equatable, CustomStringConvertible {
    var label: String
    var parallelism: Int
    var connection: String
    var inputs: [Int]

    init(_ label: String, _ parallelism: Int, _ connection: String, _ inputs: [Int] = []) {
        self.label = label
        self.parallelism = parallelism
        self.connection = connection
        self.inputs = inputs
    }

    init(_ step: PipelinePlan.Step) {
        self.init(step.label, step.parallelism, step.connection, step.inputs)
    }

    var description: String { "\(label) ×\(parallelism) [\(connection)] <- \(inputs)" }
}

private func steps(_ plan: PipelinePlan) -> [S] {
    #expect(plan.steps.map(\.id) == Array(plan.steps.indices), "step ids are positions")
    return plan.steps.map(S.init)
}

@Suite("Physical plans")
struct PlanTests {
    @Test("map and filter are fused into the file source; a file sink has one instance", arguments: [1, 3])
    func fusedIntoSource(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["in": try directory.write("in.txt", "1\n2\n")]
        options.outputs = ["out": directory.file("out.txt")]
        let plan = try Pipeline { p in
            p.source("in", format: integerLines).map { $0 * 2 }.filter { $0 > 2 }.sink("out", format: integerSink)
        }.plan(options)
        #expect(steps(plan) == [
            S("source in", parallelism, "source"),
            S("map", parallelism, "fused", [0]),
            S("filter", parallelism, "fused", [1]),
            S("sink out", 1, parallelism == 1 ? "fused" : "forward", [2]),
        ])
        #expect(plan.threadCount == parallelism + (parallelism == 1 ? 0 : 1))
    }

    @Test("a keyed step gets a hash exchange with the pipeline's parallelism; a directory sink one instance per input instance",
          arguments: [1, 2, 4])
    func keyedAndDirectorySink(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": directory.file("parts/")]
        let plan = try Pipeline { p in
            p.source("in", format: integerLines)
                .keyed(by: { $0 })
                .reduce(id: "sum") { $0 + $1 }
                .map { $0 }
                .sink("out", format: integerSink)
        }.plan(options)
        #expect(steps(plan) == [
            S("source in", parallelism, "source"),
            S("sum", parallelism, "hash", [0]),
            S("map", parallelism, "fused", [1]),
            S("sink out", parallelism, "fused", [2]),
        ])
        #expect(plan.threadCount == 2 * parallelism)
    }

    @Test("a single-instance source feeding a keyed step: the keyed step still has the pipeline's parallelism")
    func singleSourceKeyed() throws {
        var options = RunOptions(parallelism: 4)
        options.inputs = ["in": "-"]
        options.outputs = ["out": "-"]
        let plan = try Pipeline { p in
            p.source("in", format: integerLines).map { $0 }.keyed(by: { $0 }).reduce(id: "r") { $1 }.sink("out", format: integerSink)
        }.plan(options)
        #expect(steps(plan) == [
            S("source in", 1, "source"),
            S("map", 1, "fused", [0]),
            S("r", 4, "hash", [1]),
            S("sink out", 1, "forward", [2]),
        ])
    }

    @Test("merge, rebalance and broadcast are exchanges into the pipeline's parallelism")
    func exchanges() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 3)
        options.inputs = ["a": try directory.write("a.txt", "1\n"), "b": try directory.write("b.txt", "2\n")]
        let plan = try Pipeline { p in
            let a = p.source("a", format: integerLines)
            let b = p.source("b", format: integerLines)
            a.merge(b).rebalance().broadcast().discard()
            p.source(elements: [1, 2]).rebalance().collect(into: CollectedRecords<Int>())
        }.plan(options)
        #expect(steps(plan) == [
            S("source a", 3, "source"),
            S("source b", 3, "source"),
            S("merge", 3, "forward", [0, 1]),
            S("rebalance", 3, "rebalance", [2]),
            S("broadcast", 3, "broadcast", [3]),
            S("discard", 3, "fused", [4]),
            S("collection", 1, "source"),
            S("rebalance", 3, "rebalance", [6]),
            S("collect", 1, "forward", [7]),
        ])
    }

    @Test("follow mode reads each file source with one instance")
    func followMode() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 4)
        options.follow = true
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        let plan = try Pipeline { p in
            p.source("in", format: integerLines).keyed(by: { $0 }).reduce(id: "r") { $1 }.discard()
        }.plan(options)
        #expect(steps(plan) == [
            S("source in", 1, "source"),
            S("r", 4, "hash", [0]),
            S("discard", 4, "fused", [1]),
        ])
    }

    @Test("planning starts nothing and creates no output")
    func planHasNoEffects() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 2)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": directory.file("out.txt")]
        _ = try Pipeline { p in
            p.source("in", format: integerLines).sink("out", format: integerSink)
        }.plan(options)
        #expect(throws: (any Error).self) { try readLines(directory.file("out.txt")) }
    }
}
