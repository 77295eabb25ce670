#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// SIGTERM and SIGINT stop a live pipeline cleanly (design.md §2): exit 0, output committed.
@Suite("signals")
struct SignalTests {
    let binary = TestEnvironment.auctionstats

    @Test("SIGTERM/SIGINT while following a tcp-listen:// source: exit 0, rows of the lines sent are written",
          arguments: [SIGTERM, SIGINT], [1, 2])
    func stopWhileFollowing(signal: Int32, parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let lines = try input.lines()
        let scratch = try TestEnvironment.scratch("signal-\(signal)-p\(parallelism)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let child = try ChildProcess(binary, ["--input", "events=tcp-listen://127.0.0.1:0", "--follow",
                                              "--output", "out=\(output)", "--parallelism", "\(parallelism)"])
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }
        let sentLines = lines[0..<(lines.count * 3 / 5)]

        // The producer stays connected while the signal arrives; it sends its lines and waits
        // until the binary has read every byte of them (the kernel's queues for the
        // connection are empty) before the signal is sent.
        let producer = try await onThread { () throws -> LoopbackConnection in
            let connection = try LoopbackConnection.connect(port: port)
            try connection.writeAll(joinLines(sentLines))
            try KernelTCP.waitUntilConsumed(clientPort: connection.localPort, serverPort: port)
            return connection
        }
        defer { producer.close() }
        child.send(signal)
        let outcome = await child.exit()

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let reference = try Reference.scanning(lines: sentLines)
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("SIGTERM before any producer connected: exit 0 with an empty output", arguments: [SIGTERM, SIGINT])
    func stopWhileIdle(signal: Int32) async throws {
        let scratch = try TestEnvironment.scratch("signal-idle-\(signal)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let child = try ChildProcess(binary, ["--input", "events=tcp-listen://127.0.0.1:0", "--follow", "--output", "out=\(output)"])
        defer { child.killIfRunning() }
        _ = try await onThread { try child.listeningPort() }
        child.send(signal)
        let outcome = await child.exit()
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(Files.exists(output) && Files.size(output) == 0)
    }

    @Test("SIGTERM while following a growing file: exit 0, rows of the lines written are in the output")
    func stopWhileFollowingFile() async throws {
        let input = try await SharedInputs.standard()
        let lines = try input.lines()
        let scratch = try TestEnvironment.scratch("signal-file")
        defer { scratch.remove() }
        let path = scratch.file("events.jsonl")
        let written = lines[0..<(lines.count * 2 / 5)]
        try Files.write(joinLines(written), to: path)
        // stdout flushes every batch, so the test can see when all rows are out before the signal.
        let child = try ChildProcess(binary, ["--input", "events=\(path)", "--follow", "--output", "out=-"])
        defer { child.killIfRunning() }
        let reference = try Reference.scanning(lines: written)
        try await onThread {
            try child.waitForStdout(lines: reference.bids)
        }
        child.send(SIGTERM)
        let outcome = await child.exit()
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = StatsOutput.parse(outcome.stdout)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }
}
