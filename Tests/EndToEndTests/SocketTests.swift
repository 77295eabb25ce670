#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Sources and sinks on loopback TCP: producers that connect to the binary (`tcp-listen://`),
/// a server the binary connects to (`tcp://` input), and a server it writes to (`tcp://` output).
@Suite("sockets", .removesSharedInput("medium-200k"))
struct SocketTests {
    let binary = TestEnvironment.auctionstats

    @Test("tcp-listen:// with three producers, each sending a share", arguments: [1, 2, 4])
    func threeProducers(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let lines = try input.lines()
        let scratch = try TestEnvironment.scratch("producers-p\(parallelism)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let child = try ChildProcess(binary, ["--input", "events=tcp-listen://127.0.0.1:0?producers=3",
                                              "--output", "out=\(output)", "--parallelism", "\(parallelism)"])
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }

        // Uneven contiguous shares, sent at the same time.
        let cuts = [0, lines.count / 5, lines.count * 3 / 5, lines.count]
        let producers = (0..<3).map { index in
            let share = joinLines(lines[cuts[index]..<cuts[index + 1]])
            return Background {
                let connection = try LoopbackConnection.connect(port: port)
                defer { connection.close() }
                try connection.writeAll(share)
            }
        }
        for producer in producers { try await producer.value }
        let outcome = await child.exit()

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a producer that disconnects mid-line", arguments: ["skip", "fail"])
    func producerDisconnectsMidLine(policy: String) async throws {
        let input = try await SharedInputs.standard()
        let lines = try input.lines()
        let scratch = try TestEnvironment.scratch("midline-\(policy)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let child = try ChildProcess(binary, ["--input", "events=tcp-listen://127.0.0.1:0?producers=2",
                                              "--output", "out=\(output)", "--parallelism", "2", "--on-bad-record", policy])
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }

        // A sends half the lines whole; B sends a quarter whole and the first half of one more.
        let linesA = lines[0..<(lines.count / 2)]
        let linesB = lines[(lines.count / 2)..<(lines.count * 3 / 4)]
        let cut = lines[lines.count * 3 / 4]
        let partial = Array(cut.prefix(cut.count / 2))
        let producerA = Background {
            let connection = try LoopbackConnection.connect(port: port)
            defer { connection.close() }
            try connection.writeAll(joinLines(linesA))
        }
        let producerB = Background { () throws -> UInt16 in
            let connection = try LoopbackConnection.connect(port: port)
            defer { connection.close() }
            try connection.writeAll(joinLines(linesB) + partial)
            return connection.localPort
        }
        let portB = try await producerB.value
        if policy == "fail" {
            // The binary may stop before A is done: A's write may then fail, as it should.
            _ = try? await producerA.value
        } else {
            try await producerA.value
        }
        let outcome = await child.exit()
        let peer = "tcp://127.0.0.1:\(portB)"

        if policy == "fail" {
            #expect(outcome.exitCode == 1, "\(outcome.summary)")
            #expect(outcome.stderr.contains("\(peer):\(linesB.count + 1)"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("connection"), "\(outcome.stderr)")
            return
        }
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(scratch.file("dead-letter.jsonl"))
        try #require(records.count == 1, "\(records)")
        #expect(records[0].source == peer)
        #expect(records[0].line == linesB.count + 1)
        #expect(records[0].reason.contains("connection"), "\(records[0].reason)")
        #expect(records[0].raw == String(decoding: partial, as: UTF8.self))
        let reference = try Reference.scanning(lines: lines[0..<(lines.count * 3 / 4)])
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("tcp:// input from a server that sends the file and closes", arguments: [1, 2, 4])
    func connectInput(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let bytes = try Files.read(input.path)
        let scratch = try TestEnvironment.scratch("connect-in-p\(parallelism)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let listener = try LoopbackListener()
        defer { listener.close() }
        let server = Background {
            let connection = try listener.accept()
            defer { connection.close() }
            try connection.writeAll(bytes)
        }

        let child = try ChildProcess(binary, ["--input", "events=tcp://127.0.0.1:\(listener.port)",
                                              "--output", "out=\(output)", "--parallelism", "\(parallelism)"])
        defer { child.killIfRunning() }
        try await server.value
        let outcome = await child.exit()

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("tcp:// input whose server closes in the middle of a line")
    func connectInputCutMidLine() async throws {
        let input = try await SharedInputs.standard()
        let lines = try input.lines()
        let scratch = try TestEnvironment.scratch("connect-cut")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let listener = try LoopbackListener()
        defer { listener.close() }
        let complete = lines[0..<(lines.count * 2 / 3)]
        let partial = Array(lines[lines.count * 2 / 3].prefix(30))
        let server = Background {
            let connection = try listener.accept()
            defer { connection.close() }
            try connection.writeAll(joinLines(complete) + partial)
        }

        let child = try ChildProcess(binary, ["--input", "events=tcp://127.0.0.1:\(listener.port)",
                                              "--output", "out=\(output)", "--on-bad-record", "skip"])
        defer { child.killIfRunning() }
        try await server.value
        let outcome = await child.exit()

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(scratch.file("dead-letter.jsonl"))
        try #require(records.count == 1, "\(records)")
        #expect(records[0].source == "tcp://127.0.0.1:\(listener.port)")
        #expect(records[0].line == complete.count + 1)
        #expect(records[0].reason.contains("connection"), "\(records[0].reason)")
        #expect(records[0].raw == String(decoding: partial, as: UTF8.self))
        let reference = try Reference.scanning(lines: complete)
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("tcp:// output to a server that reads everything", arguments: [1, 2, 4])
    func connectOutput(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("connect-out-p\(parallelism)")
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        defer { listener.close() }
        let server = Background {
            let connection = try listener.accept()
            defer { connection.close() }
            return try connection.readToEnd()
        }

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=tcp://127.0.0.1:\(listener.port)",
                                             "--parallelism", "\(parallelism)"], directory: scratch.path)
        let received = try await server.value

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = StatsOutput.parse(received)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// The server closes the first connection after reading a little; the binary reconnects
    /// and the second connection receives the rest of the rows, each whole.
    ///
    /// Bytes the binary wrote into the first connection that the server never read are lost
    /// with it (TCP has no application acknowledgement); what is checked is that the second
    /// connection carries a clean, complete continuation up to the end.
    @Test("a sink peer that goes away: the binary reconnects", arguments: [1, 2, 4])
    func sinkPeerGoesAway(parallelism: Int) async throws {
        let input = try await SharedInputs.medium()
        let scratch = try TestEnvironment.scratch("sink-away-p\(parallelism)")
        defer { scratch.remove() }
        // The first connection goes away after 32 KB of about 8 MB of rows: more than the
        // socket buffers hold, so the binary is still writing when it notices.
        let listener = try LoopbackListener()
        defer { listener.close() }
        let server = Background { () throws -> (first: [UInt8], second: [UInt8]) in
            let first = try listener.accept()
            var firstBytes: [UInt8] = []
            while firstBytes.count < 32 << 10 {
                let bytes = try first.read(upTo: 4096)
                if bytes.isEmpty { break }
                firstBytes += bytes
            }
            first.close()
            let second = try listener.accept()
            defer { second.close() }
            return (firstBytes, try second.readToEnd())
        }

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=tcp://127.0.0.1:\(listener.port)",
                                             "--parallelism", "\(parallelism)"], directory: scratch.path)
        let (first, second) = try await server.value

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(outcome.stderr.contains("reconnecting"), "\(outcome.stderr)")
        // The first connection: whole rows, then perhaps part of one.
        let firstWhole = Array(first[..<((first.lastIndex(of: 10) ?? -1) + 1)])
        let (firstRows, firstProblems) = StatsOutput.parse(firstWhole)
        #expect(firstProblems.isEmpty, "\(firstProblems)")
        // The second connection: whole rows only, up to the very end.
        let (secondRows, secondProblems) = StatsOutput.parse(second)
        #expect(secondProblems.isEmpty, "\(secondProblems)")
        try #require(!secondRows.isEmpty, "the second connection received nothing")
        let reference = input.reference

        if parallelism == 1 {
            // One instance per stage: the output order is the input order, so both
            // connections carry exact slices of the brute-force row sequence.
            let expected = try #require(reference.orderedRows)
            #expect(Array(expected.prefix(firstRows.count)) == firstRows, "the first connection starts the output")
            #expect(Array(expected.suffix(secondRows.count)) == secondRows, "the second connection carries the rest, to the end")
        }
        // Any parallelism: per auction the second connection's rows count on without gaps
        // and end with the auction's totals.
        var seen: [Int64: StatsRow] = [:]
        var problems: [String] = []
        for row in secondRows {
            if let previous = seen[row.auction], row.bids != previous.bids + 1, problems.count < 10 {
                problems.append("auction \(row.auction): \(row) after \(previous)")
            }
            seen[row.auction] = row
        }
        for (auction, row) in seen where problems.count < 10 {
            let total = reference.totals[auction]
            if total?.bids != row.bids || total?.maxPrice != row.maxPrice {
                problems.append("auction \(auction): last row \(row), expected \(String(describing: total))")
            }
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// With no server coming back the binary gives up after its backoff (about 31 s:
    /// 100 ms doubling to 5 s, 12 attempts) and names the peer. Too slow for the default run:
    /// set SLUICE_E2E_SLOW=1.
    @Test("a sink peer that never comes back: exit 1 naming the peer",
          .enabled(if: TestEnvironment.slowTestsEnabled, "takes about 35 s; set SLUICE_E2E_SLOW=1"))
    func sinkPeerNeverComesBack() async throws {
        let input = try await SharedInputs.medium()
        let scratch = try TestEnvironment.scratch("sink-gone")
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        let port = listener.port
        let server = Background {
            let first = try listener.accept()
            _ = try first.read(upTo: 4096)
            listener.close()
            first.close()
        }

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=tcp://127.0.0.1:\(port)"],
                                    directory: scratch.path, timeout: .seconds(120))
        try await server.value

        #expect(outcome.exitCode == 1, "\(outcome.summary)")
        #expect(outcome.stderr.contains("127.0.0.1:\(port)"), "\(outcome.stderr)")
    }
}
