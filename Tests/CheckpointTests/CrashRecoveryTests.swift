import Foundation
import Testing

/// Kills pipelines with `kill -9` while they run with checkpoints, resumes them (also at another
/// parallelism), and checks the final output against a run that never crashed.
/// `SLUICE_CRASH_ROUNDS=50 swift test --filter CrashRecoveryTests` runs a longer version by hand.
@Suite("Crash and resume", .serialized)
struct CrashRecoveryTests {
    static let rounds = Int(ProcessInfo.processInfo.environment["SLUICE_CRASH_ROUNDS"] ?? "") ?? 3

    /// Runs `binary` until it has been killed `rounds` times after new checkpoints, resuming
    /// each time with the next parallelism of `parallelisms`, then lets it finish.
    func crashRepeatedly(_ binary: String, input: String, output: String, checkpoints: String,
                         parallelisms: [Int], seed: UInt64) throws -> [String] {
        var dice = Dice(state: seed)
        var notes: [String] = []
        var round = 0
        while true {
            let parallelism = parallelisms[round % parallelisms.count]
            var arguments = ["--input", input, "--output", output, "--parallelism", "\(parallelism)",
                             "--checkpoint-dir", checkpoints, "--checkpoint-interval", "200ms", "--quiet"]
            if round > 0 { arguments += ["--resume", "latest"] }
            let run = try PipelineProcess(binary, arguments)
            if round >= Self.rounds {
                let (status, stderr) = run.finish()
                #expect(status == 0, "final run failed: \(stderr)")
                return notes
            }
            // Crash after one to three more checkpoints completed than there were at the start.
            let before = completeCheckpoints(in: checkpoints).last ?? 0
            let target = before + dice.roll(1...3)
            let result = run.kill { (completeCheckpoints(in: checkpoints).last ?? 0) >= target }
            if !result.killed {
                // The run finished before the crash moment: it must have succeeded.
                #expect(result.status == 0, "run ended by itself with \(result.status): \(result.stderr)")
                return notes
            }
            notes.append("killed at p=\(parallelism) after checkpoint \(completeCheckpoints(in: checkpoints).last ?? 0)")
            round += 1
        }
    }

    @Test("a windowed pipeline killed and resumed writes exactly the rows of an uninterrupted run",
          arguments: [[1], [2], [2, 3, 1]])
    func windowedPipeline(parallelisms: [Int]) throws {
        let scratch = try Scratch()
        let reference = scratch.file("reference.jsonl")
        let (status, stderr) = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", reference, "--quiet"])
        try #require(status == 0, "reference run failed: \(stderr)")
        let output = scratch.file("out.jsonl")
        let crashes = try crashRepeatedly("topbids", input: Inputs.events, output: output, checkpoints: scratch.file("ck"),
                                          parallelisms: parallelisms, seed: UInt64(parallelisms.reduce(7, +)))
        #expect(!crashes.isEmpty, "the pipeline finished before it could be killed: nothing was tested")
        let expected = try sortedLines(reference)
        let actual = try sortedLines(output)
        #expect(actual.count == expected.count)
        #expect(actual == expected)
    }

    @Test("the recommendation pipeline killed and resumed writes exactly the lists of an uninterrupted run",
          arguments: [[1], [2, 1]])
    func recommendationPipeline(parallelisms: [Int]) throws {
        let scratch = try Scratch()
        let reference = scratch.file("reference.jsonl")
        let (status, stderr) = try PipelineProcess.run("recommendations", ["--input", Inputs.interactions, "--output", reference, "--quiet"])
        try #require(status == 0, "reference run failed: \(stderr)")
        let output = scratch.file("out.jsonl")
        let crashes = try crashRepeatedly("recommendations", input: Inputs.interactions, output: output,
                                          checkpoints: scratch.file("ck"), parallelisms: parallelisms,
                                          seed: UInt64(parallelisms.reduce(3, +)))
        #expect(!crashes.isEmpty, "the pipeline finished before it could be killed: nothing was tested")
        let expected = try sortedLines(reference)
        #expect(expected.count > 1_000)
        let actual = try sortedLines(output)
        #expect(actual.count == expected.count)
        #expect(actual == expected)
    }

    @Test("a keyed pipeline killed and resumed emits every row exactly once", arguments: [[1], [2, 4]])
    func keyedPipeline(parallelisms: [Int]) throws {
        let scratch = try Scratch()
        let output = scratch.file("out.jsonl")
        let crashes = try crashRepeatedly("auctionstats", input: Inputs.events, output: output, checkpoints: scratch.file("ck"),
                                          parallelisms: parallelisms, seed: 99)
        #expect(!crashes.isEmpty, "the pipeline finished before it could be killed: nothing was tested")
        // Each bid gives one row: (auction, n) for n = 1…bids, each exactly once, whatever the
        // order in which parallel readers delivered the bids.
        var seen: [String: Int] = [:]
        var final: [Int64: (bids: Int64, maxPrice: Int64)] = [:]
        for line in try sortedLines(output) {
            let row = try JSONDecoder().decode(StatsRow.self, from: Data(line.utf8))
            seen["\(row.auction)/\(row.bids)", default: 0] += 1
            if row.bids > final[row.auction]?.bids ?? 0 { final[row.auction] = (row.bids, row.maxPrice) }
        }
        #expect(seen.values.allSatisfy { $0 == 1 }, "duplicated rows after resume")
        let expected = try bidTotals(Inputs.events)
        #expect(final.count == expected.count)
        for (auction, totals) in expected {
            #expect(final[auction]?.bids == totals.bids && final[auction]?.maxPrice == totals.maxPrice, "auction \(auction)")
        }
    }

    @Test("SIGTERM takes a final checkpoint and exits 0; the output ends at it and a resume completes it exactly")
    func stopTakesFinalCheckpoint() throws {
        let scratch = try Scratch()
        let checkpoints = scratch.file("ck")
        let output = scratch.file("out.jsonl")
        // --follow keeps the run going at the end of the file until the signal; the interval is
        // long, so the only checkpoint is the one the stop takes.
        let run = try PipelineProcess("topbids", ["--input", Inputs.events, "--output", output, "--parallelism", "1", "--follow",
                                                  "--checkpoint-dir", checkpoints, "--checkpoint-interval", "1h", "--quiet"])
        // Stop once the whole file has been read (the run then waits for more input).
        let size = (try FileManager.default.attributesOfItem(atPath: Inputs.events)[.size] as? Int) ?? 0
        let stopped = run.kill(signal: SIGTERM) { run.bytesRead >= size }
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let ids = completeCheckpoints(in: checkpoints)
        #expect(ids.count == 1, "expected the stop's checkpoint only, found \(ids)")
        let (status, stderr) = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", output, "--parallelism", "2",
                                                                   "--checkpoint-dir", checkpoints, "--resume", "latest", "--quiet"])
        #expect(status == 0, "\(stderr)")
        let reference = scratch.file("reference.jsonl")
        _ = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", reference, "--quiet"])
        #expect(try sortedLines(output) == sortedLines(reference))
    }

    @Test("a corrupt newest checkpoint is skipped and the previous one restored, saying so")
    func corruptCheckpointFallsBack() throws {
        let scratch = try Scratch()
        let checkpoints = scratch.file("ck")
        let output = scratch.file("out.jsonl")
        let run = try PipelineProcess("topbids", ["--input", Inputs.events, "--output", output, "--parallelism", "2",
                                                  "--checkpoint-dir", checkpoints, "--checkpoint-interval", "100ms", "--quiet"])
        let result = run.kill { completeCheckpoints(in: checkpoints).count >= 2 }
        try #require(result.killed, "the run ended before two checkpoints: make the input larger")
        let newest = checkpoints + "/chk-\(completeCheckpoints(in: checkpoints).last!)"
        let snapshot = try #require(try FileManager.default.contentsOfDirectory(atPath: newest).first { $0.hasSuffix(".snap") })
        let handle = try #require(FileHandle(forUpdatingAtPath: newest + "/" + snapshot))
        handle.seek(toFileOffset: 40)
        handle.write(Data([0xFF, 0x00, 0xFF, 0x00]))
        try handle.close()
        let (status, stderr) = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", output,
                                                                   "--parallelism", "2", "--checkpoint-dir", checkpoints,
                                                                   "--resume", "latest", "--quiet"])
        #expect(status == 0, "\(stderr)")
        #expect(stderr.contains("skipped"), "no word of the skipped checkpoint: \(stderr)")
        let reference = scratch.file("reference.jsonl")
        _ = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", reference, "--quiet"])
        #expect(try sortedLines(output) == sortedLines(reference))
    }

    @Test("a checkpoint of another pipeline is refused, naming the difference")
    func otherPipelineRefused() throws {
        let scratch = try Scratch()
        let checkpoints = scratch.file("ck")
        let run = try PipelineProcess("auctionstats", ["--input", Inputs.events, "--output", scratch.file("a.jsonl"),
                                                       "--checkpoint-dir", checkpoints, "--checkpoint-interval", "100ms", "--quiet"])
        _ = run.kill { !completeCheckpoints(in: checkpoints).isEmpty }
        try #require(!completeCheckpoints(in: checkpoints).isEmpty)
        let (status, stderr) = try PipelineProcess.run("topbids", ["--input", Inputs.events, "--output", scratch.file("t.jsonl"),
                                                                   "--checkpoint-dir", checkpoints, "--resume", "latest", "--quiet"])
        #expect(status != 0)
        #expect(stderr.contains("bids-per-auction") || stderr.contains("auction-stats"), "\(stderr)")
    }

    @Test("sluice checkpoint inspect shows operators, key groups and sizes")
    func inspect() throws {
        let scratch = try Scratch()
        let checkpoints = scratch.file("ck")
        let run = try PipelineProcess("topbids", ["--input", Inputs.events, "--output", scratch.file("o.jsonl"), "--parallelism", "2",
                                                  "--checkpoint-dir", checkpoints, "--checkpoint-interval", "100ms", "--quiet"])
        _ = run.kill { !completeCheckpoints(in: checkpoints).isEmpty }
        let process = Process()
        process.executableURL = binaryDirectory.appendingPathComponent("sluice")
        process.arguments = ["checkpoint", "inspect", checkpoints]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("bids-per-auction"))
        #expect(text.contains("bids"))
    }
}

struct StatsRow: Decodable {
    var auction: Int64
    var bids: Int64
    var maxPrice: Int64
}

/// Per auction: bid count and highest price, straight from the input.
func bidTotals(_ path: String) throws -> [Int64: (bids: Int64, maxPrice: Int64)] {
    struct Line: Decodable {
        var type: String
        var auction: Int64?
        var price: Int64?
    }
    var totals: [Int64: (bids: Int64, maxPrice: Int64)] = [:]
    let decoder = JSONDecoder()
    for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
        let event = try decoder.decode(Line.self, from: Data(line.utf8))
        guard event.type == "bid", let auction = event.auction, let price = event.price else { continue }
        let current = totals[auction] ?? (0, 0)
        totals[auction] = (current.bids + 1, max(current.maxPrice, price))
    }
    return totals
}
