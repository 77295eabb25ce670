import Foundation
import Testing

/// A pipeline binary runs on mimalloc: asked to (`MIMALLOC_VERBOSE=1`), mimalloc reports its
/// start on stderr, and the run's results are still exact.
@Suite("pipeline binaries on mimalloc")
struct AllocatorTests {
    @Test("auctionstats starts mimalloc and gives the reference rows", arguments: [1, 2])
    func mimallocStarts(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("allocator-p\(parallelism)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(TestEnvironment.auctionstats,
                                    ["--input", "events=\(input.path)", "--output", "out=\(output)",
                                     "--parallelism", "\(parallelism)"],
                                    environment: ["MIMALLOC_VERBOSE": "1"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(outcome.stderr.contains("mimalloc: process init"), "\(outcome.stderr.prefix(2000))")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        #expect(StatsOutput.problems(rows, against: input.reference).isEmpty)
    }
}
