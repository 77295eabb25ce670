import BenchSupport
import Foundation
import Sluice
import SluiceNexmark

/// Decodes a file of Nexmark bids (every field) into `Bid`s (`PlainDecodable`) and drops them: the
/// byte-level direct path, against the target of 3 M bids/s per core.
enum BidParseBenchmark {
    /// The bid lines of `events` Nexmark events, in a file of their own.
    static func bidsFile(events: Int) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-bids-\(events).jsonl").path
        if FileManager.default.fileExists(atPath: path) { return path }
        var generator = NexmarkGenerator(seed: 1)
        var buffer: [UInt8] = []
        for _ in 0..<events {
            if case .bid(let bid) = generator.next() { NexmarkEvent.bid(bid).appendJSONLine(into: &buffer) }
        }
        try Data(buffer).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func run(file: String, parallelism: Int, runs: Int) throws -> BenchResult {
        let pipeline = Pipeline { p in
            p.source("bids", format: .jsonLines(Bid.self)).discard()
        }
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["bids": file]
        var seconds: [Double] = []
        var count = 0
        for _ in 0..<runs {
            var summary: RunSummary?
            seconds.append(try timed { summary = try pipeline.run(options) })
            count = summary?.recordsOut ?? 0
        }
        var result = BenchResult(benchmark: "parse-bids-plain", parallelism: parallelism, events: count, seconds: seconds)
        result.extra["cpuCores"] = Double(parallelism)
        return result
    }
}
