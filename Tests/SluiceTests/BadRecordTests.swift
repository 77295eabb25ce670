import Foundation
import Testing
import Sluice

/// A line of the dead-letter file.
private struct DeadLetter: Decodable, Equatable {
    var source: String
    var line: Int
    var reason: String
    var raw: String
}

private func deadLetters(_ path: String) throws -> [DeadLetter] {
    try readLines(path).map { try JSONDecoder().decode(DeadLetter.self, from: Data($0.utf8)) }.sorted { $0.line < $1.line }
}

@Suite("Bad records")
struct BadRecordTests {
    /// 300 lines: numbers, except three bad ones and a blank line (which is not a record).
    static func input(badLines: [Int: String], blankLines: Set<Int> = []) -> (text: String, good: [Int]) {
        var lines: [String] = []
        var good: [Int] = []
        for n in 1...300 {
            if let bad = badLines[n] {
                lines.append(bad)
            } else if blankLines.contains(n) {
                lines.append("")
            } else {
                lines.append(String(n * 10))
                good.append(n * 10)
            }
        }
        return (lines.joined(separator: "\n") + "\n", good)
    }

    @Test("skip: bad lines go to the dead-letter file with source, line, reason and raw text, and are counted",
          arguments: [1, 2, 4])
    func skipWritesDeadLetters(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        let (text, good) = Self.input(badLines: [7: "seven", 150: "x150", 299: "{\"oops\":1}"], blankLines: [20])
        let path = try directory.write("numbers.txt", text)
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["numbers": path]
        options.onBadRecord = .skip
        options.deadLetterPath = directory.file("dead.jsonl")
        let results = CollectedRecords<Int>()
        let summary = try Pipeline { p in
            p.source("numbers", format: integerLines).collect(into: results)
        }.run(options)
        #expect(results.records.sorted() == good)
        #expect(summary.badRecords == 3)
        #expect(summary.recordsIn == good.count)
        #expect(try deadLetters(directory.file("dead.jsonl")) == [
            DeadLetter(source: path, line: 7, reason: "not a number: seven", raw: "seven"),
            DeadLetter(source: path, line: 150, reason: "not a number: x150", raw: "x150"),
            DeadLetter(source: path, line: 299, reason: "not a number: {\"oops\":1}", raw: "{\"oops\":1}"),
        ])
    }

    @Test("skip: a clean input leaves no dead-letter file")
    func cleanInputNoDeadLetters() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 2)
        options.inputs = ["numbers": try directory.write("numbers.txt", Self.input(badLines: [:]).text)]
        options.onBadRecord = .skip
        options.deadLetterPath = directory.file("dead.jsonl")
        let summary = try Pipeline { p in p.source("numbers", format: integerLines).discard() }.run(options)
        #expect(summary.badRecords == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.file("dead.jsonl")))
    }

    @Test("skip: an over-long line is a bad record whose raw text is a prefix of the line", arguments: [1, 3])
    func overLongLine(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        let long = String(repeating: "9", count: 40)
        let path = try directory.write("numbers.txt", "1\n\(long)\n3\n")
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["numbers": path]
        options.maxLineBytes = 16
        options.onBadRecord = .skip
        options.deadLetterPath = directory.file("dead.jsonl")
        let results = CollectedRecords<Int>()
        try Pipeline { p in p.source("numbers", format: integerLines).collect(into: results) }.run(options)
        #expect(results.records.sorted() == [1, 3])
        let letters = try deadLetters(directory.file("dead.jsonl"))
        #expect(letters.count == 1)
        #expect(letters.first?.line == 2)
        #expect(letters.first?.reason == "line longer than --max-line-bytes")
        let raw = letters.first?.raw ?? ""
        #expect(!raw.isEmpty && long.hasPrefix(raw), "raw text \(raw.debugDescription) is not a prefix of the line")
    }

    @Test("skip: a bad last line without a newline is reported as possibly truncated")
    func truncatedLastLine() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("numbers.txt", "1\n2\n3x")
        var options = RunOptions(parallelism: 1)
        options.inputs = ["numbers": path]
        options.onBadRecord = .skip
        options.deadLetterPath = directory.file("dead.jsonl")
        try Pipeline { p in p.source("numbers", format: integerLines).discard() }.run(options)
        #expect(try deadLetters(directory.file("dead.jsonl")) == [
            DeadLetter(source: path, line: 3, reason: "not a number: 3x (last line has no newline: truncated input?)", raw: "3x"),
        ])
    }

    @Test("skip: the default dead-letter file is beside the first file output")
    func defaultDeadLetterPath() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["numbers": try directory.write("numbers.txt", "1\nbad\n3\n")]
        options.outputs = ["out": directory.file("out.txt")]
        options.onBadRecord = .skip
        try Pipeline { p in p.source("numbers", format: integerLines).sink("out", format: integerSink) }.run(options)
        #expect(try readLines(directory.file("out.txt")) == ["1", "3"])
        #expect(try deadLetters(directory.file("dead-letter.jsonl")).map(\.line) == [2])
    }

    @Test("fail: the run stops with an error naming file, line and reason", .timeLimit(.minutes(1)), arguments: [1, 2, 4])
    func failNamesFileAndLine(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("numbers.txt", Self.input(badLines: [150: "x150"]).text)
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["numbers": path]
        options.onBadRecord = .fail
        options.deadLetterPath = directory.file("dead.jsonl")
        let pipeline = Pipeline { p in
            p.source("numbers", format: integerLines).keyed(by: { $0 % 7 }).reduce(id: "sum") { $0 + $1 }.discard()
        }
        let error = #expect(throws: PipelineError.self) { try pipeline.run(options) }
        let message = error?.message ?? ""
        #expect(message.contains("\(path):150"), "\(message)")
        #expect(message.contains("not a number: x150"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("dead.jsonl")))
    }
}
