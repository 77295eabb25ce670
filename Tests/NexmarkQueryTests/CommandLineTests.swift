import Testing
import Foundation
import NexmarkQueries
import SluiceNexmark

/// The `nexmark` binary, run as a user would.
enum NexmarkBinary {
    /// `nexmark` next to the test bundle (`swift build --build-tests` puts both in `.build/<config>/`).
    static let path: String = {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = (exe as NSString).deletingLastPathComponent
            for _ in 0..<4 {
                candidates.append(directory)
                directory = (directory as NSString).deletingLastPathComponent
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates += ["\(root)/.build/debug", "\(root)/.build/release"]
        let directory = candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/nexmark") } ?? "."
        return "\(directory)/nexmark"
    }()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `nexmark arguments` to completion.
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let scratch = try Scratch()
        let stdoutPath = scratch.file("stdout"), stderrPath = scratch.file("stderr")
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(status: process.terminationStatus,
                       stdout: try String(contentsOfFile: stdoutPath, encoding: .utf8),
                       stderr: try String(contentsOfFile: stderrPath, encoding: .utf8))
    }
}

/// A fresh directory, removed when the test is done.
final class Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "nexmark-query-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The one summary line of `nexmark run`.
struct Summary: Decodable {
    var query: String
    var events: Int
    var seconds: Double
    var eventsPerSecond: Double
    var parallelism: Int
    var cores: Int
    var peakRSSBytes: Int
    var rows: Int

    /// Decodes stdout, which must be exactly one JSON line with exactly the summary's keys.
    init(stdout: String) throws {
        let lines = stdout.split(separator: "\n")
        try #require(lines.count == 1, "stdout: \(stdout)")
        let data = Data(lines[0].utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["query", "events", "seconds", "eventsPerSecond", "parallelism", "cores", "cpuSeconds",
                                     "cpuSecondsPerMillionEvents", "peakRSSBytes", "rows", "alignmentPauses", "alignmentWaitSeconds"])
        #expect((object["cpuSeconds"] as? NSNumber)?.doubleValue ?? -1 > 0, "a run takes some CPU time")
        self = try JSONDecoder().decode(Summary.self, from: data)
    }
}

/// Lines of a JSON-lines file decoded as `T`.
func decodeLines<T: Decodable>(_ type: T.Type, from path: String) throws -> [T] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let decoder = JSONDecoder()
    return try text.split(separator: "\n").map { try decoder.decode(T.self, from: Data($0.utf8)) }
}

@Suite("The nexmark binary")
struct CommandLineTests {
    @Test("generate, then run q5 on the file: the summary line and the rows are right")
    func runOnFile() throws {
        let scratch = try Scratch()
        let events = scratch.file("events.jsonl"), out = scratch.file("q5.jsonl")
        let generated = try NexmarkBinary.run(["generate", "--events", "30000", "--out", events, "--seed", "3"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let run = try NexmarkBinary.run(["run", "--query", "q5", "--input", events, "--output", out, "--parallelism", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try Summary(stdout: run.stdout)
        #expect(summary.query == "q5")
        #expect(summary.events == 30_000)
        #expect(summary.parallelism == 2)
        #expect(summary.seconds > 0 && summary.eventsPerSecond > 0)
        #expect(summary.peakRSSBytes > 1 << 20)
        let rows = try decodeLines(HotItem.self, from: out)
        #expect(summary.rows == rows.count)
        // The reference reads the very file the binary read.
        let input = try decodeLines(NexmarkEvent.self, from: events)
        #expect(input.count == 30_000)
        expectSameRows(rows, Reference.q5(input))
    }

    @Test("run q3 and q11 on a file: rows equal the brute-force evaluation", arguments: ["q3", "q11"])
    func runJoinAndSessions(query: String) throws {
        let scratch = try Scratch()
        let events = scratch.file("events.jsonl"), out = scratch.file("rows.jsonl")
        let generated = try NexmarkBinary.run(["generate", "--events", "20000", "--out", events, "--rate", "500"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let run = try NexmarkBinary.run(["run", "--query", query, "--input", events, "--output", out, "--parallelism", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try Summary(stdout: run.stdout)
        #expect(summary.query == query && summary.events == 20_000)
        let input = try decodeLines(NexmarkEvent.self, from: events)
        if query == "q3" {
            let rows = try decodeLines(LocalItemSuggestion.self, from: out)
            #expect(summary.rows == rows.count)
            expectSameRows(rows, Reference.q3(input))
        } else {
            let rows = try decodeLines(BidderWindowCount.self, from: out)
            #expect(summary.rows == rows.count)
            expectSameRows(rows, Reference.q11(input))
        }
    }

    @Test("run --events N without an output counts the rows")
    func runGenerated() throws {
        let run = try NexmarkBinary.run(["run", "--query", "q0", "--events", "50000", "--parallelism", "2", "--seed", "9"])
        #expect(run.status == 0, "\(run.stderr)")
        let summary = try Summary(stdout: run.stdout)
        #expect(summary.query == "q0")
        #expect(summary.events == 50_000)
        #expect(summary.rows == 50_000 * 46 / 50)
        #expect(summary.parallelism == 2)
    }

    @Test("run --cores 1 runs every thread on one CPU, with the same rows; more CPUs than the process has is an error")
    func runOnOneCore() throws {
        let arguments = ["run", "--query", "q5", "--events", "60000", "--parallelism", "2", "--seed", "4"]
        let free = try NexmarkBinary.run(arguments)
        #expect(free.status == 0, "\(free.stderr)")
        let unrestricted = try Summary(stdout: free.stdout)
        #expect(unrestricted.cores >= 1)
        let pinned = try NexmarkBinary.run(arguments + ["--cores", "1"])
        #expect(pinned.status == 0, "\(pinned.stderr)")
        let onOne = try Summary(stdout: pinned.stdout)
        // Read back from the process's CPU mask after restricting it, not echoed from the option.
        #expect(onOne.cores == 1)
        #expect(onOne.parallelism == 2)
        #expect(onOne.rows == unrestricted.rows && onOne.rows > 0)
        let tooMany = try NexmarkBinary.run(["run", "--query", "q0", "--events", "10", "--cores", String(unrestricted.cores + 1)])
        #expect(tooMany.status == 1 && tooMany.stderr.contains("--cores \(unrestricted.cores + 1)"), "\(tooMany.stderr)")
        let none = try NexmarkBinary.run(["run", "--query", "q0", "--events", "10", "--cores", "0"])
        #expect(none.status == 2 && none.stderr.contains("--cores"), "\(none.stderr)")
    }

    @Test("suite: a line per query, input and parallelism, one more on one core, and both tables")
    func suite() throws {
        let scratch = try Scratch()
        let table = scratch.file("suite.md")
        let run = try NexmarkBinary.run(["suite", "--queries", "q1", "--inputs", "generated", "--events", "20000", "--runs", "1",
                                         "--latency-queries", "none", "--markdown", table])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try run.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let combinations = lines.map { "\($0["parallelism"] as? Int ?? -1)/\($0["cores"] as? Int ?? -1)" }
        let everyCore = try #require(lines.first?["cores"] as? Int)
        #expect(combinations == ["1/\(everyCore)", "2/\(everyCore)", "1/1"], "\(run.stdout)")
        #expect(lines.allSatisfy { ($0["eventsPerSecond"] as? Int ?? 0) > 0 })
        let markdown = try String(contentsOfFile: table, encoding: .utf8)
        #expect(markdown.contains("| q1 | generated |"))
        #expect(markdown.contains("Scaling with cores"))
        #expect(markdown.contains("P=2 / P=1 on 1 core"))
        #expect(markdown.contains("P=2 / P=1, both on all cores | at most |"))
    }

    @Test("latency: paced q1 reports every bid after the warm-up, with percentiles; other queries are refused")
    func latency() throws {
        let run = try NexmarkBinary.run(["latency", "--query", "q1", "--rate", "100000", "--seconds", "1",
                                         "--warmup", "0.5", "--parallelism", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(line["query"] as? String == "q1")
        #expect(line["from"] as? String == "input")
        let samples = try #require(line["samples"] as? Int)
        // Bids are 46 of every 50 events; those that entered in the first half second are not counted.
        #expect(samples > 0 && samples <= 100_000 * 46 / 50, "\(run.stdout)")
        let p50 = try #require(line["p50Ms"] as? Double), p99 = try #require(line["p99Ms"] as? Double)
        #expect(p50 >= 0 && p50 <= p99)
        let refused = try NexmarkBinary.run(["latency", "--query", "q3", "--rate", "1000"])
        #expect(refused.status == 2 && refused.stderr.contains("--query"), "\(refused.stderr)")
    }

    @Test("usage errors exit 2, runtime failures exit 1, with a message on stderr")
    func errors() throws {
        for arguments in [["run", "--query", "q6", "--events", "10"], ["run", "--query", "q5"],
                          ["run", "--query", "q5", "--events", "10", "--input", "x.jsonl"],
                          ["run", "--query", "q5", "--events", "10", "--parallelism", "0"]] {
            let outcome = try NexmarkBinary.run(arguments)
            #expect(outcome.status == 2, "\(arguments): \(outcome.stderr)")
            #expect(!outcome.stderr.isEmpty && outcome.stdout.isEmpty)
        }
        let scratch = try Scratch()
        let bad = scratch.file("bad.jsonl")
        let good = NexmarkGenerator(seed: 1).event(at: 5).jsonLine
        try (good + "{\"type\":\"bid\",\"auction\":\n" + good).write(toFile: bad, atomically: false, encoding: .utf8)
        let outcome = try NexmarkBinary.run(["run", "--query", "q0", "--input", bad, "--parallelism", "1"])
        #expect(outcome.status == 1, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("bad.jsonl"), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }
}
