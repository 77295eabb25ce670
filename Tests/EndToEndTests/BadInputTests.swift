import Foundation
import SluiceNexmark
import Testing

/// One kind of bad line, put into an otherwise good input.
enum BadLine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case malformedJSON
    case missingPrice
    case wrongType
    case invalidUTF8
    case tooLong
    case truncatedLastLine

    var testDescription: String { rawValue }

    /// The bad line's bytes (without newline).
    var bytes: [UInt8] {
        switch self {
        case .malformedJSON:
            return Array(#"{"type":"bid","auction":1001,"bidder":1001,"price":77 "channel":"Google"}"#.utf8)
        case .missingPrice:
            return Array(#"{"type":"bid","auction":1001,"bidder":1001,"channel":"Google","url":"https://www.google.com/search","dateTime":1735689600000,"extra":""}"#.utf8)
        case .wrongType:
            return Array(#"{"type":"bid","auction":1001,"bidder":1001,"price":"x","channel":"Google","url":"https://www.google.com/search","dateTime":1735689600000,"extra":""}"#.utf8)
        case .invalidUTF8:
            return Array(#"{"type":"bid","auction":1001,"bidder":1001,"price":77,"channel":"Google","url":"https://www.google.com/search","dateTime":1735689600000,"extra":"ab"#.utf8)
                + [0xFF, 0xFE, 0xC3, 0x28] + Array(#"cd"}"#.utf8)
        case .tooLong:
            return Array(#"{"type":"bid","auction":1001,"bidder":1001,"price":77,"channel":"Google","url":"https://www.google.com/search","dateTime":1735689600000,"extra":""#.utf8)
                + Array(repeating: UInt8(ascii: "x"), count: 300) + Array(#""}"#.utf8)
        case .truncatedLastLine:
            return Array(#"{"type":"bid","auction":1001,"bidder":10"#.utf8)
        }
    }

    /// Options the case needs besides the policy.
    var extraArguments: [String] {
        self == .tooLong ? ["--max-line-bytes", "200"] : []
    }

    /// Words the reason must contain (case-insensitive).
    var reasonKeywords: [String] {
        switch self {
        case .malformedJSON: return ["json"]
        case .missingPrice: return ["price"]
        case .wrongType: return ["price"]
        case .invalidUTF8: return ["utf-8"]
        case .tooLong: return ["max-line-bytes"]
        case .truncatedLastLine: return ["newline"]
        }
    }
}

/// An input of good lines with one bad line in its second half (or, for a truncated last
/// line, at its end), written to a scratch directory.
struct BadInput {
    let path: String
    /// 1-based line number of the bad line.
    let badLineNumber: Int
    let badLine: [UInt8]
    /// The brute force over the good lines.
    let reference: Reference

    /// Good lines: generated events without padding, those no longer than 190 bytes (so that
    /// `--max-line-bytes 200` rejects only the bad line); about 3,000 lines, computed once.
    static let goodLines: [[UInt8]] = {
        var generator = NexmarkGenerator(configuration: .init(seed: 9, avgPersonBytes: 0, avgAuctionBytes: 0, avgBidBytes: 0))
        var lines: [[UInt8]] = []
        for _ in 0..<6_000 {
            var line: [UInt8] = []
            generator.appendNextLine(into: &line)
            line.removeLast()
            if line.count <= 190 { lines.append(line) }
        }
        return lines
    }()

    /// The brute force over `goodLines`.
    static let goodReference: Reference = {
        let (reference, rejected) = Reference.decoding(lines: goodLines)
        precondition(rejected == 0)
        return reference
    }()

    init(_ kind: BadLine, in scratch: Scratch, blankLines: Bool = false) throws {
        var lines = Self.goodLines
        reference = Self.goodReference
        badLine = kind.bytes
        if blankLines {
            // Blank lines of every sort, before and after the bad line's position.
            for (offset, blank) in [(10, ""), (lines.count / 2, "   "), (lines.count / 2 + 7, "\t"), (lines.count * 2 / 3, "\r")] {
                lines.insert(Array(blank.utf8), at: offset)
            }
        }
        var bytes: [UInt8]
        if kind == .truncatedLastLine {
            bytes = joinLines(lines) + badLine
            badLineNumber = lines.count + 1
        } else {
            let index = lines.count * 3 / 4
            lines.insert(badLine, at: index)
            bytes = joinLines(lines)
            badLineNumber = index + 1
        }
        path = scratch.file("events.jsonl")
        try Files.write(bytes, to: path)
    }
}

/// One dead-letter record.
struct DeadLetter: Decodable, Equatable {
    var source: String
    var line: Int
    var reason: String
    var raw: String

    static func read(_ path: String) throws -> [DeadLetter] {
        try Files.read(path).split(separator: 10).map { try JSONDecoder().decode(DeadLetter.self, from: Data($0)) }
    }
}

@Suite("bad input")
struct BadInputTests {
    let binary = TestEnvironment.auctionstats

    @Test("skip: dead-letter record with the true line number; good lines processed",
          arguments: BadLine.allCases, [1, 2, 4])
    func skip(kind: BadLine, parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("skip-\(kind)-p\(parallelism)")
        defer { scratch.remove() }
        let input = try BadInput(kind, in: scratch)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "skip"] + kind.extraArguments)

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(outcome.stderr.contains("1 bad record"), "\(outcome.stderr)")
        // Default dead-letter location: beside the (first) file output.
        let deadLetterPath = scratch.file("dead-letter.jsonl")
        #expect(outcome.stderr.contains(deadLetterPath), "the warning names the dead-letter file: \(outcome.stderr)")
        let records = try DeadLetter.read(deadLetterPath)
        try #require(records.count == 1, "\(records)")
        let record = records[0]
        #expect(record.source == input.path)
        #expect(record.line == input.badLineNumber, "bad line is line \(input.badLineNumber)")
        for keyword in kind.reasonKeywords {
            #expect(record.reason.lowercased().contains(keyword), "reason: \(record.reason)")
        }
        let badText = String(decoding: input.badLine, as: UTF8.self)
        if kind == .tooLong {
            #expect(!record.raw.isEmpty && badText.hasPrefix(record.raw), "raw must be a prefix of the long line, got \(record.raw.count) chars: \(record.raw.suffix(300))")
        } else {
            #expect(record.raw == badText)
        }
        let (rows, parseProblems) = try StatsOutput.parse(file: output)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("fail: exit 1 naming file:line and the reason", arguments: BadLine.allCases, [1, 2, 4])
    func fail(kind: BadLine, parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("fail-\(kind)-p\(parallelism)")
        defer { scratch.remove() }
        let input = try BadInput(kind, in: scratch)

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(scratch.file("stats.jsonl"))",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "fail"] + kind.extraArguments)

        #expect(outcome.exitCode == 1, "\(outcome.summary)")
        #expect(outcome.stderr.contains("\(input.path):\(input.badLineNumber)"), "\(outcome.stderr)")
        for keyword in kind.reasonKeywords {
            #expect(outcome.stderr.lowercased().contains(keyword), "\(outcome.stderr)")
        }
        #expect(!Files.exists(scratch.file("dead-letter.jsonl")), "fail writes no dead-letter file")
    }

    @Test("fail is the default policy")
    func failIsDefault() async throws {
        let scratch = try TestEnvironment.scratch("fail-default")
        defer { scratch.remove() }
        let input = try BadInput(.missingPrice, in: scratch)
        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(scratch.file("stats.jsonl"))"])
        #expect(outcome.exitCode == 1, "\(outcome.summary)")
        #expect(outcome.stderr.contains("\(input.path):\(input.badLineNumber)"), "\(outcome.stderr)")
    }

    @Test("skip with an explicit --dead-letter path")
    func explicitDeadLetterPath() async throws {
        let scratch = try TestEnvironment.scratch("deadletter-path")
        defer { scratch.remove() }
        let input = try BadInput(.wrongType, in: scratch)
        let deadLetterPath = scratch.file("elsewhere/bad.jsonl")
        try FileManager.default.createDirectory(atPath: scratch.file("elsewhere"), withIntermediateDirectories: true)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(output)", "--parallelism", "2",
                                             "--on-bad-record", "skip", "--dead-letter", deadLetterPath])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(deadLetterPath)
        #expect(records.map(\.line) == [input.badLineNumber])
        #expect(!Files.exists(scratch.file("dead-letter.jsonl")))
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("blank lines are ignored", arguments: [1, 2, 4])
    func blankLines(parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("blank-p\(parallelism)")
        defer { scratch.remove() }
        // Blank lines only: the bad line of `BadInput` is left out by writing the good lines.
        var lines = BadInput.goodLines
        for (offset, blank) in [(0, ""), (10, ""), (lines.count / 2, "   "), (lines.count * 3 / 4, "\t \r"), (lines.count, "")] {
            lines.insert(Array(blank.utf8), at: offset)
        }
        let path = scratch.file("events.jsonl")
        try Files.write(joinLines(lines), to: path)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "fail"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(!Files.exists(scratch.file("dead-letter.jsonl")))
        let reference = BadInput.goodReference
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("blank lines count in line numbers", arguments: [1, 2, 4])
    func blankLinesCountInLineNumbers(parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("blank-bad-p\(parallelism)")
        defer { scratch.remove() }
        let input = try BadInput(.malformedJSON, in: scratch, blankLines: true)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(input.path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "skip"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(scratch.file("dead-letter.jsonl"))
        #expect(records.map(\.line) == [input.badLineNumber])
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("an empty input file: exit 0, no rows, a warning", arguments: ["skip", "fail"], [1, 2, 4])
    func emptyInput(policy: String, parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("empty-\(policy)-p\(parallelism)")
        defer { scratch.remove() }
        let path = scratch.file("events.jsonl")
        try Files.write([], to: path)
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", policy])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        #expect(Files.exists(output) && Files.size(output) == 0, "the output exists and is empty")
        #expect(outcome.stderr.contains("warning") && outcome.stderr.contains(path), "\(outcome.stderr)")
        #expect(outcome.stderr.components(separatedBy: "is empty").count == 2, "one warning: \(outcome.stderr)")
        #expect(!Files.exists(scratch.file("dead-letter.jsonl")))
    }

    /// A 3 MiB line (over the default 1 MiB limit and over the read buffer) where parallel
    /// readers split the file: it is one bad record, and the lines after it keep their true
    /// numbers in every reader.
    @Test("a line longer than the read buffer, across the split points of parallel readers", arguments: [1, 2, 4])
    func hugeLineAcrossSplitPoints(parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("huge-p\(parallelism)")
        defer { scratch.remove() }
        let good = BadInput.goodLines
        let huge = Array(#"{"type":"bid","auction":1001,"bidder":1001,"price":77,"channel":"Google","url":"https://www.google.com/search","dateTime":1735689600000,"extra":""#.utf8)
            + Array(repeating: UInt8(ascii: "x"), count: 3 << 20) + Array(#""}"#.utf8)
        var after = Array(good[(good.count / 2)...])
        let badIndexAfter = after.count * 3 / 4
        after.insert(BadLine.missingPrice.bytes, at: badIndexAfter)
        let before = good[..<(good.count / 2)]
        let lines = Array(before) + [huge] + after
        let path = scratch.file("events.jsonl")
        try Files.write(joinLines(lines), to: path)
        let hugeLineNumber = before.count + 1
        let badLineNumber = before.count + 1 + badIndexAfter + 1
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(path)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "skip"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(scratch.file("dead-letter.jsonl")).sorted { $0.line < $1.line }
        #expect(records.map(\.line) == [hugeLineNumber, badLineNumber])
        if records.count == 2 {
            #expect(records[0].reason.contains("max-line-bytes"), "\(records[0].reason)")
            let hugeText = String(decoding: huge, as: UTF8.self)
            #expect(!records[0].raw.isEmpty && records[0].raw.utf8.count <= 64 << 10 && hugeText.hasPrefix(records[0].raw),
                    "raw is a short prefix of the long line (\(records[0].raw.utf8.count) bytes)")
            #expect(records[1].raw == String(decoding: BadLine.missingPrice.bytes, as: UTF8.self))
        }
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: BadInput.goodReference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("several bad lines in several files of a directory keep their own line numbers", arguments: [1, 2, 4])
    func badLinesInDirectory(parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("dir-bad-p\(parallelism)")
        defer { scratch.remove() }
        let directory = scratch.file("in")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let good = BadInput.goodLines
        var expected: [String] = []
        var goodLines: [[UInt8]] = []
        for (fileIndex, name) in ["a.jsonl", "b.jsonl"].enumerated() {
            var lines = Array(good[(fileIndex * good.count / 2)..<((fileIndex + 1) * good.count / 2)])
            goodLines += lines
            for index in [lines.count / 5, lines.count * 4 / 5] {
                lines.insert(BadLine.missingPrice.bytes, at: index)
                expected.append("\(directory)/\(name):\(index + 1)")
            }
            try Files.write(joinLines(lines), to: "\(directory)/\(name)")
        }
        let output = scratch.file("stats.jsonl")

        let outcome = try await run(binary, ["--input", "events=\(directory)", "--output", "out=\(output)",
                                             "--parallelism", "\(parallelism)", "--on-bad-record", "skip"])

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let records = try DeadLetter.read(scratch.file("dead-letter.jsonl"))
        #expect(records.map { "\($0.source):\($0.line)" }.sorted() == expected.sorted())
        let reference = try Reference.scanning(lines: goodLines)
        let problems = StatsOutput.problems(try StatsOutput.parse(file: output).rows, against: reference)
        #expect(problems.isEmpty, "\(problems)")
    }
}
