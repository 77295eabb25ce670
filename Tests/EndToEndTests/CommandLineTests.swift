import Foundation
import Testing

/// Exit status and messages for mistakes on the command line (design.md §2: 2 for a usage
/// error, 1 for a runtime failure, 0 for `--help`).
@Suite("command line")
struct CommandLineTests {
    let binary = TestEnvironment.auctionstats

    @Test("--help prints the options and exits 0")
    func help() async throws {
        let outcome = try await run(binary, ["--help"])
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let text = outcome.stdoutText + outcome.stderr
        for option in ["--input", "--output", "--parallelism", "--on-bad-record", "--dead-letter", "--max-line-bytes", "--follow"] {
            #expect(text.contains(option), "help does not mention \(option)")
        }
    }

    @Test("an unknown option is a usage error")
    func unknownOption() async throws {
        let input = try await SharedInputs.standard()
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=-", "--no-such-option"])
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("--no-such-option"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test("--input with an unknown source name is a usage error naming it")
    func unknownSourceName() async throws {
        let scratch = try TestEnvironment.scratch("nosuch")
        defer { scratch.remove() }
        let outcome = try await run(binary, ["--input", "nosuch=x", "--output", "out=\(scratch.file("out.jsonl"))"],
                                    directory: scratch.path)
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("nosuch"), "\(outcome.stderr)")
    }

    @Test("--output with an unknown sink name is a usage error naming it")
    func unknownSinkName() async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("nosuchsink")
        defer { scratch.remove() }
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "nosuchsink=x.jsonl"],
                                    directory: scratch.path)
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("nosuchsink"), "\(outcome.stderr)")
    }

    @Test("a missing input file is a runtime failure naming the path")
    func missingInputFile() async throws {
        let scratch = try TestEnvironment.scratch("missing")
        defer { scratch.remove() }
        let path = scratch.file("does-not-exist.jsonl")
        let outcome = try await run(binary, ["--input", "events=\(path)", "--output", "out=\(scratch.file("out.jsonl"))"])
        #expect(outcome.exitCode == 1, "\(outcome.summary)")
        #expect(outcome.stderr.contains(path), "\(outcome.stderr)")
    }

    @Test("--on-bad-record accepts only skip and fail")
    func badPolicy() async throws {
        let input = try await SharedInputs.standard()
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=-", "--on-bad-record", "bogus"])
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("bogus"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty, "nothing runs after a usage error")
    }

    @Test("other usage errors exit 2", arguments: [
        ["--parallelism", "0"],
        ["--max-line-bytes", "0"],
        ["--parallelism", "many"],
        ["--thread-scheduling", "realtime"],
    ])
    func otherUsageErrors(extra: [String]) async throws {
        let input = try await SharedInputs.standard()
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=-"] + extra)
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test("a missing --output binding is a usage error naming the sink")
    func missingOutput() async throws {
        let input = try await SharedInputs.standard()
        let outcome = try await run(binary, ["--input", "events=\(input.path)"])
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("out"), "\(outcome.stderr)")
    }

    @Test("an unsupported URI scheme is a usage error")
    func unsupportedScheme() async throws {
        let outcome = try await run(binary, ["--input", "events=http://127.0.0.1:1/x", "--output", "out=-"])
        #expect(outcome.exitCode == 2, "\(outcome.summary)")
        #expect(outcome.stderr.contains("http://127.0.0.1:1/x"), "\(outcome.stderr)")
    }
}
