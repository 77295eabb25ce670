import BenchSupport
import Foundation
import Sluice
import SluiceNexmark

/// Throughput benchmarks of the engine, printed as JSON lines (one per measurement, with
/// every run and the median). Usage: `sluice-bench [--events N] [--runs R] [--only NAME]`;
/// `--only micro [--filter PART] [--no-valgrind]` for the micro-benchmarks of the hot paths.
@main
struct SluiceBench {
    static func main() {
        runBenchmarkTool {
            let arguments = BenchArguments(CommandLine.arguments.dropFirst())
            if let name = arguments.microChild {
                // Run by the micro-benchmarks under valgrind: nothing else, not even the input file.
                try MicroBenchmarkRunner.runChild(name: name, calls: arguments.calls)
                return
            }
            let events = arguments.events
            let benchmarks: [(String, () throws -> [BenchResult])] = [
                ("queue", { [QueueHandoffBenchmark.run(records: 20_000_000, runs: arguments.runs)] }),
                ("parse", {
                    let (file, bytes) = try nexmarkFile(events: events)
                    return try [1, 2].map { try ParseBenchmark.run(file: file, events: events, bytes: bytes, parallelism: $0, runs: arguments.runs) }
                }),
                ("parse-bids", {
                    let bids = try BidParseBenchmark.bidsFile(events: arguments.events)
                    return try [1, 2].map { try BidParseBenchmark.run(file: bids, parallelism: $0, runs: arguments.runs) }
                }),
                ("auctionstats", {
                    let (file, _) = try nexmarkFile(events: events)
                    return try [1, 2].map { try PipelineBinaryBenchmark.run(binary: "auctionstats", file: file, events: events, parallelism: $0, runs: arguments.runs) }
                }),
                // These print their own JSON lines (their fields do not fit BenchResult) and return none.
                ("startup", { print(try StartupBenchmark.run(binary: "auctionstats", runs: max(arguments.runs, 20))); return [] }),
                ("checkpoint-state", { try CheckpointStateBenchmark.run(runs: arguments.runs) }),
                ("checkpoint-throughput", {
                    let (file, _) = try nexmarkFile(events: events)
                    return try CheckpointThroughputBenchmark.run(file: file, events: events, runs: arguments.runs)
                }),
                ("micro", {
                    try MicroBenchmarkRunner.run(filter: arguments.filter, runs: arguments.runs, useValgrind: arguments.valgrind)
                    return []
                }),
            ]
            for (name, run) in benchmarks where arguments.only == nil || arguments.only == name {
                for result in try run() { print(result.jsonLine) }
            }
        }
    }

    /// A file of `events` Nexmark events (written on first use, then kept) and its size.
    static func nexmarkFile(events: Int) throws -> (path: String, bytes: Int) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(events).jsonl").path
        if !FileManager.default.fileExists(atPath: file) {
            _ = try NexmarkGenerator(seed: 1).writeFile(path: file, events: events)
        }
        return (file, (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
    }
}

struct BenchArguments {
    var events = 2_000_000
    var runs = 5
    var only: String?
    /// `micro`: only the micro-benchmarks whose name contains this.
    var filter: String?
    /// `micro`: count instructions and allocations under valgrind (when installed).
    var valgrind = true
    /// Set when the micro-benchmarks run this executable under valgrind: the benchmark to run.
    var microChild: String?
    /// With `microChild`: the calls to make in the measured region.
    var calls = 0

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--events": events = Int(iterator.next() ?? "") ?? events
            case "--runs": runs = Int(iterator.next() ?? "") ?? runs
            case "--only": only = iterator.next()
            case "--filter": filter = iterator.next()
            case "--no-valgrind": valgrind = false
            case "--micro-child": microChild = iterator.next()
            case "--calls": calls = Int(iterator.next() ?? "") ?? calls
            default: FileHandle.standardError.write("unknown argument \(argument)\n".data(using: .utf8)!)
            }
        }
    }
}
