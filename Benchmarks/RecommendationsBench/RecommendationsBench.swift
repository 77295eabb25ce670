import BenchSupport
import Foundation
import RecommendationsKit

/// Benchmarks of the recommendation pipeline, printed as JSON lines:
///
///     recommendations-bench [--only quality|throughput|latency] [--events N] [--runs R]
///                           [--rate EVENTS_PER_S] [--seconds S] [--max-out-of-orderness MS]
///
/// - quality: next-item hit rate @10 of the pipeline against a most-popular baseline;
/// - throughput: events/s of the binary on a generated file, at parallelism 1 and 2;
/// - latency: events sent over a socket at a steady rate, the time to their lists (HdrHistogram).
@main
struct RecommendationsBench {
    static func main() {
        runBenchmarkTool {
            let arguments = RecommendationsBenchArguments(CommandLine.arguments.dropFirst())
            if arguments.wants("quality") {
                print(try QualityBenchmark.run(users: 2_000, items: 2_000, events: 300_000, seed: 7))
            }
            if arguments.wants("throughput") {
                let stream = try GeneratedStream.cached(users: 100_000, items: 20_000, events: arguments.events, seed: 1)
                for parallelism in [1, 2] {
                    let result = try PipelineBinaryBenchmark.run(binary: "recommendations", file: stream.events, events: arguments.events,
                                                                 parallelism: parallelism, runs: arguments.runs,
                                                                 extraArguments: ["--input", "items=\(stream.catalog)"])
                    print(result.jsonLine)
                }
            }
            if arguments.wants("latency") {
                for _ in 0..<arguments.runs {
                    print(try LatencyBenchmark.run(rate: arguments.rate, seconds: arguments.seconds,
                                                   maxOutOfOrdernessMilliseconds: arguments.maxOutOfOrderness))
                }
            }
        }
    }
}

struct RecommendationsBenchArguments {
    var only: String?
    var events = 10_000_000
    var runs = 3
    var rate = 50_000
    var seconds = 10
    var maxOutOfOrderness = 5

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--only": only = iterator.next()
            case "--events": events = Int(iterator.next() ?? "") ?? events
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--rate": rate = Int(iterator.next() ?? "") ?? rate
            case "--seconds": seconds = Int(iterator.next() ?? "") ?? seconds
            case "--max-out-of-orderness": maxOutOfOrderness = Int(iterator.next() ?? "") ?? maxOutOfOrderness
            default: FileHandle.standardError.write("unknown argument \(argument)\n".data(using: .utf8)!)
            }
        }
    }

    func wants(_ name: String) -> Bool { only == nil || only == name }
}

/// A generated click stream and its catalog, written once per parameters under the temporary
/// directory and reused by later runs.
struct GeneratedStream {
    var events: String
    var catalog: String

    static func cached(users: Int, items: Int, events: Int, seed: UInt64) throws -> GeneratedStream {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("recommendations-\(users)u-\(items)i-\(events)e-\(seed)").path
        let stream = GeneratedStream(events: base + ".jsonl", catalog: base + "-items.jsonl")
        if !FileManager.default.fileExists(atPath: stream.catalog) {
            try InteractionGenerator(users: users, items: items, seed: seed).write(events: events, to: stream.events, catalogPath: stream.catalog)
        }
        return stream
    }
}

/// Where the binaries built beside this one are.
let binaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
