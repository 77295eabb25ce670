import Foundation
import SluiceNexmark
import Testing

/// `auctionstats` on generated files, a directory, stdin and stdout, at parallelism 1, 2 and 4:
/// every run writes one row per bid, per auction numbered 1, 2, 3, …, and ends with the
/// brute-force totals.
@Suite("auctionstats on files")
struct FileRunTests {
    let binary = TestEnvironment.auctionstats

    @Test("a generated file, under either thread scheduling", arguments: [1, 2, 4], ["batch", "normal"])
    func generatedFile(parallelism: Int, scheduling: String) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("file-p\(parallelism)-\(scheduling)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--thread-scheduling", scheduling])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        #expect(StatsOutput.problems(rows, against: input.reference).isEmpty,
                "\(StatsOutput.problems(rows, against: input.reference))")
        #expect(!Files.exists(scratch.file("dead-letter.jsonl")), "a clean run leaves no dead-letter file")
        #expect(outcome.stdout.isEmpty)
    }

    @Test("parallelism 1, 2 and 4 give identical final results")
    func identicalFinalResults() async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("identical")
        defer { scratch.remove() }
        var finals: [Int: [Int64: AuctionTotal]] = [:]
        for parallelism in [1, 2, 4] {
            let output = scratch.file("stats-\(parallelism).jsonl")
            let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(output)",
                                                 "--parallelism", "\(parallelism)"])
            try #require(outcome.exitCode == 0, "\(outcome.summary)")
            finals[parallelism] = StatsOutput.finals(try StatsOutput.parse(file: output).rows)
        }
        #expect(finals[1] == input.reference.totals)
        #expect(finals[2] == finals[1])
        #expect(finals[4] == finals[1])
    }

    @Test("a directory of files, read in name order", arguments: [1, 2, 4])
    func directoryInput(parallelism: Int) async throws {
        let standard = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("dir-p\(parallelism)")
        defer { scratch.remove() }
        let directory = scratch.file("events")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The standard input's events in three files of different sizes (named so that name
        // order is event order); together they are the standard input.
        var generator = NexmarkGenerator(seed: 42)
        let n = standard.events
        for (name, range) in [("a.jsonl", 0..<(n * 2 / 5)), ("b.jsonl", (n * 2 / 5)..<(n / 2)), ("c.jsonl", (n / 2)..<n)] {
            generator.nextEventNumber = Int64(range.lowerBound)
            try generator.writeFile(path: "\(directory)/\(name)", events: range.count)
        }
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(directory)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: standard.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("stdin input (--input events=-)", arguments: [1, 2, 4])
    func stdinInput(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("stdin-p\(parallelism)")
        defer { scratch.remove() }
        let output = scratch.file("stats.jsonl")
        let child = try ChildProcess(binary, ["--input", "events=-", "--output", "out=\(output)",
                                              "--parallelism", "\(parallelism)"], stdin: .pipe)
        defer { child.killIfRunning() }
        let bytes = try Files.read(input.path)
        let feeder = Background {
            defer { child.closeStdin() }
            try child.writeStdin(bytes)
        }

        let outcome = await child.exit()
        try await feeder.value

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("stdout output (--output out=-)", arguments: [1, 2, 4])
    func stdoutOutput(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("stdout-p\(parallelism)")
        defer { scratch.remove() }

        // Run in the scratch directory: a default dead-letter file would land there.
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=-",
                                             "--parallelism", "\(parallelism)"], directory: scratch.path)

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let (rows, parseProblems) = StatsOutput.parse(outcome.stdout)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a directory output gets one part file per instance", arguments: [1, 2, 4])
    func directoryOutput(parallelism: Int) async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("dirout-p\(parallelism)")
        defer { scratch.remove() }
        let directory = scratch.file("out") + "/"

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(directory)",
                                             "--parallelism", "\(parallelism)"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let parts = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(parts == (0..<parallelism).map { "part-\($0)" })
        var rows: [StatsRow] = []
        for part in parts {
            let (partRows, parseProblems) = try StatsOutput.parse(file: directory + part)
            #expect(parseProblems.isEmpty, "\(part): \(parseProblems)")
            rows += partRows
        }
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a last line without newline is still a record")
    func lastLineWithoutNewline() async throws {
        let input = try await SharedInputs.standard()
        let scratch = try TestEnvironment.scratch("nonewline")
        defer { scratch.remove() }
        var bytes = try Files.read(input.path)
        #expect(bytes.removeLast() == 10)
        let path = scratch.file("events.jsonl")
        try Files.write(bytes, to: path)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(path)", "--output", "out=\(output)", "--parallelism", "2"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }
}

/// The two brute-force references agree, so the large tests may use the fast one.
@Suite("reference")
struct ReferenceTests {
    @Test("scanning agrees with JSONDecoder")
    func scanningAgreesWithDecoding() async throws {
        let input = try await SharedInputs.standard()
        let scanned = try Reference.scanning(file: input.path, keepRows: true)
        #expect(input.reference.bids > 15_000)
        #expect(scanned.bids == input.reference.bids)
        let sameTotals = scanned.totals == input.reference.totals
        #expect(sameTotals)
        let sameRows = scanned.orderedRows == input.reference.orderedRows
        #expect(sameRows)
    }
}
