import Testing
import Sluice

/// Where in the pipeline the failing step runs.
enum FailurePlace: String, CaseIterable, Sendable {
    /// A map fused into the source's thread.
    case fusedIntoSource
    /// A map in parallel instances behind a rebalance.
    case afterRebalance
    /// A keyed process behind a hash exchange.
    case keyedProcess
    /// A filter fused after a keyed step.
    case afterKeyedStep
}

@Suite("Failures stop the pipeline")
struct FailureTests {
    static let count = 100_000
    static let failAt = 60_000

    @Test("an error thrown by a step is the error run throws, at every parallelism, without hanging",
          .timeLimit(.minutes(2)), arguments: FailurePlace.allCases, [1, 2, 4])
    func stepErrorIsRethrown(place: FailurePlace, parallelism: Int) throws {
        let failAt = Self.failAt
        let results = CollectedRecords<Int>()
        let check: @Sendable (Int) throws -> Int = { value in
            if value == failAt { throw Boom(at: value) }
            return value
        }
        let pipeline = Pipeline { p in
            let numbers = p.source(elements: Array(0..<Self.count))
            switch place {
            case .fusedIntoSource:
                numbers.map(check).rebalance().collect(into: results)
            case .afterRebalance:
                numbers.rebalance().map(check).collect(into: results)
            case .keyedProcess:
                numbers.keyed(by: { $0 % 1000 })
                    .process(id: "check", initialState: 0) { (_: inout Int, value: Int, out: inout KeyedEmitter<Int, Int>) in
                        out.emit(try check(value))
                    }
                    .collect(into: results)
            case .afterKeyedStep:
                numbers.keyed(by: { $0 % 1000 })
                    .reduce(id: "last") { $1 }
                    .filter { try check($0) >= 0 }
                    .collect(into: results)
            }
        }
        #expect(throws: Boom(at: failAt)) { try pipeline.run(smallBatchOptions(parallelism: parallelism)) }
        #expect(results.records.count < Self.count)
    }

    @Test("when every instance fails, run throws one of their errors", .timeLimit(.minutes(2)), arguments: [1, 2, 4])
    func manyFailures(parallelism: Int) {
        let pipeline = Pipeline { p in
            p.source(elements: Array(0..<20_000))
                .rebalance()
                .filter { if $0 >= 1_000 { throw Boom(at: $0) }; return true }
                .discard()
        }
        let error = #expect(throws: Boom.self) { try pipeline.run(smallBatchOptions(parallelism: parallelism)) }
        #expect((error?.at ?? 0) >= 1_000)
    }

    @Test("a failing sink stops the pipeline with its error", .timeLimit(.minutes(2)), arguments: [1, 2, 4])
    func sinkFailure(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = smallBatchOptions(parallelism: parallelism)
        // A file inside a missing directory cannot be created.
        options.outputs = ["out": directory.file("missing/out.txt")]
        let pipeline = Pipeline { p in
            p.source(elements: Array(0..<1000)).sink("out", format: integerSink)
        }
        let error = #expect(throws: PipelineError.self) { try pipeline.run(options) }
        #expect(error?.message.contains("missing/out.txt") == true)
    }
}
