import BenchSupport
import Foundation
import Sluice
import SluiceState

/// What `checkpoint-throughput`'s pipeline needs of a bid.
struct CheckpointBenchBid: Sendable {
    var auction: Int64
    var price: Int64
}

/// One Nexmark event line: its bid, or nil for people and auctions.
struct CheckpointBenchLine: Decodable, Sendable {
    var bid: CheckpointBenchBid?

    private enum CodingKeys: String, CodingKey {
        case type, auction, price
    }

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        guard try fields.decode(String.self, forKey: .type) == "bid" else { return }
        bid = CheckpointBenchBid(auction: try fields.decode(Int64.self, forKey: .auction),
                                 price: try fields.decode(Int64.self, forKey: .price))
    }
}

/// Per-auction state and output row (`Codable`, so that checkpoints can save it).
struct CheckpointBenchStats: Codable, PlainEncodable, Sendable {
    var auction: Int64
    var bids: Int64
    var maxPrice: Int64
}

/// Counts bids and keeps the highest price, per auction (auctionstats' aggregate).
struct CheckpointBenchAggregator: Aggregator, Sendable {
    func makeAccumulator() -> CheckpointBenchStats { CheckpointBenchStats(auction: 0, bids: 0, maxPrice: 0) }

    func add(_ bid: CheckpointBenchBid, to stats: inout CheckpointBenchStats) {
        stats.auction = bid.auction
        stats.bids += 1
        stats.maxPrice = max(stats.maxPrice, bid.price)
    }

    func result(_ stats: CheckpointBenchStats) -> CheckpointBenchStats { stats }

    func merge(_ other: CheckpointBenchStats, into stats: inout CheckpointBenchStats) {
        stats.bids += other.bids
        stats.maxPrice = max(stats.maxPrice, other.maxPrice)
    }
}

/// Collects, from the progress callback (every 100 ms), the duration of each checkpoint that
/// completed, and keeps the run's `RunProgress` to read its final counts after the run.
final class CheckpointRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lastID: Int64 = 0
    private var durations: [Int64] = []
    private var progress: RunProgress?

    func observe(_ progress: RunProgress) {
        lock.lock()
        defer { lock.unlock() }
        self.progress = progress
        if let last = progress.lastCheckpoint, last.id != lastID {
            lastID = last.id
            durations.append(last.milliseconds)
        }
    }

    /// The durations seen (milliseconds), checkpoints completed and failed, and the seconds
    /// producers spent waiting on full channels.
    func finish() -> (milliseconds: [Int64], completed: Int, failed: Int, blockedSeconds: Double) {
        if let progress { observe(progress) }
        lock.lock()
        defer { lock.unlock() }
        let counts = progress?.checkpointCounts
        return (durations, counts?.completed ?? 0, counts?.failed ?? 0, Double(progress?.blockedNanos ?? 0) / 1e9)
    }
}

/// Throughput of a stateful pipeline (auctionstats' keyed aggregate, written here with the DSL)
/// at parallelism 2 with checkpoints every 1 s, every 10 s, and none, over a Nexmark file; then
/// with a slow sink (its encoder spins about 1 µs a record), without checkpoints and with one
/// every 1 s, with the default channels and with 64-batch ones, to see how long checkpoints take
/// under backpressure (`checkpointMillis*`: trigger to manifest, as `RunProgress.lastCheckpoint`
/// reports them, sampled every 100 ms; `blockedSecondsMedian`: time producers waited on full
/// channels, summed over threads).
///
/// The input is the generated file repeated (a directory of links to it) as many times as makes
/// a run without checkpoints last about `targetSeconds`, so that a 10 s interval fires several
/// times in a run. Configurations alternate within each round (rotated from round to round);
/// every line reports medians over the rounds and its ratio to the run without checkpoints.
/// Output files and checkpoints go under a temporary directory, deleted at the end.
enum CheckpointThroughputBenchmark {
    static let parallelism = 2
    static let targetSeconds = 40.0
    static let backpressureTargetSeconds = 20.0
    static let slowSinkNanos: UInt64 = 1000

    enum SinkKind {
        case jsonLines
        case slow(nanos: UInt64)

        var label: String {
            switch self {
            case .jsonLines: return "jsonLines"
            case .slow(let nanos): return "lines+spin\(nanos)ns"
            }
        }
    }

    /// A checkpoint interval (nil: no checkpoints) and the capacity of every channel, in batches.
    struct Config {
        var interval: Duration?
        var channelCapacity = RunOptions().channelCapacity

        var label: String {
            guard let interval else { return "none" }
            return "\(interval.milliseconds / 1000)s"
        }
    }

    struct RunResult {
        var seconds: Double
        var recordsIn: Int
        var checkpointMilliseconds: [Int64]
        var completed: Int
        var failed: Int
        var blockedSeconds: Double
        var stateBytes: Int
        var stateCompressedBytes: Int
    }

    static func run(file: String, events: Int, runs requestedRuns: Int) throws -> [BenchResult] {
        let runs = max(3, requestedRuns)
        let root = try makeBenchDirectory("sluice-bench-checkpoint-throughput")
        defer { try? FileManager.default.removeItem(atPath: root) }

        // Unthrottled sink: none, 10 s, 1 s.
        // Two warm-up runs (page cache, and the faster one sets the input's length).
        let warmup = try (0..<2).map { _ in try runOnce(input: file, sink: .jsonLines, config: Config(interval: nil), root: root).seconds }.min()!
        let copies = copiesFor(rate: Double(events) / warmup, events: events, seconds: targetSeconds)
        let input = try makeInput(file: file, copies: copies, root: root, name: "input")
        try measure(input: input, events: events * copies, copies: copies, sink: .jsonLines,
                    configs: [Config(interval: nil), Config(interval: .seconds(10)), Config(interval: .seconds(1))],
                    runs: runs, root: root)

        // Slow sink: none and 1 s with the default channels, and 1 s with channels 16 times
        // larger (more data queued ahead of each barrier).
        let slow = SinkKind.slow(nanos: slowSinkNanos)
        let slowWarmup = try (0..<2).map { _ in try runOnce(input: file, sink: slow, config: Config(interval: nil), root: root).seconds }.min()!
        let slowCopies = copiesFor(rate: Double(events) / slowWarmup, events: events, seconds: backpressureTargetSeconds)
        let slowInput = try makeInput(file: file, copies: slowCopies, root: root, name: "input-slow")
        try measure(input: slowInput, events: events * slowCopies, copies: slowCopies, sink: slow,
                    configs: [Config(interval: nil), Config(interval: .seconds(1)), Config(interval: .seconds(1), channelCapacity: 64)],
                    runs: runs, root: root)
        return []
    }

    static func copiesFor(rate: Double, events: Int, seconds: Double) -> Int {
        min(20, max(1, Int((seconds * rate / Double(events)).rounded(.up))))
    }

    /// A directory holding `copies` symbolic links to `file`: an input the source reads in name order.
    static func makeInput(file: String, copies: Int, root: String, name: String) throws -> String {
        let directory = root + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for copy in 0..<copies {
            try FileManager.default.createSymbolicLink(atPath: directory + String(format: "/part-%03d.jsonl", copy), withDestinationPath: file)
        }
        return directory
    }

    static func pipeline(sink: SinkKind) -> Pipeline {
        Pipeline { p in
            let stats = p.source("events", format: .jsonLines(CheckpointBenchLine.self))
                .compactMap(\.bid)
                .keyed(by: \.auction)
                .aggregate(CheckpointBenchAggregator(), id: "auction-stats")
            switch sink {
            case .jsonLines:
                stats.sink("out", format: .jsonLines)
            case .slow(let nanos):
                stats.sink("out", format: .lines { row in
                    spin(nanoseconds: nanos)
                    return "\(row.auction),\(row.bids),\(row.maxPrice)"
                })
            }
        }
    }

    /// One run, with fresh output and checkpoint directory, both deleted afterwards.
    static func runOnce(input: String, sink: SinkKind, config: Config, root: String) throws -> RunResult {
        let output = root + "/out.txt"
        let checkpoints = root + "/checkpoints"
        try? FileManager.default.removeItem(atPath: output)
        try? FileManager.default.removeItem(atPath: checkpoints)
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: checkpoints)
        }
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["events": input]
        options.outputs = ["out": output]
        options.channelCapacity = config.channelCapacity
        if let interval = config.interval {
            options.checkpointDirectory = checkpoints
            options.checkpointInterval = interval
        }
        let recorder = CheckpointRecorder()
        let start = monotonicNow()
        let summary = try pipeline(sink: sink).run(options, monitor: { recorder.observe($0) })
        let seconds = elapsedSeconds(start, monotonicNow())
        let seen = recorder.finish()
        // The size of the largest state among the checkpoints kept (one taken after the
        // aggregate instances ended holds none).
        var stateBytes = 0, compressedBytes = 0
        if config.interval != nil {
            for manifest in try CheckpointStore(directory: checkpoints).list().compactMap(\.manifest) {
                let bytes = manifest.files.reduce(0) { $0 + Int($1.uncompressedBytes) }
                if bytes > stateBytes {
                    stateBytes = bytes
                    compressedBytes = manifest.files.reduce(0) { $0 + Int($1.compressedBytes) }
                }
            }
        }
        return RunResult(seconds: seconds, recordsIn: summary.recordsIn, checkpointMilliseconds: seen.milliseconds,
                         completed: seen.completed, failed: seen.failed, blockedSeconds: seen.blockedSeconds,
                         stateBytes: stateBytes, stateCompressedBytes: compressedBytes)
    }

    /// `runs` rounds of every configuration, one line per configuration; the first is the baseline.
    static func measure(input: String, events: Int, copies: Int, sink: SinkKind, configs: [Config], runs: Int, root: String) throws {
        var results = Array(repeating: [RunResult](), count: configs.count)
        for round in 0..<runs {
            for step in 0..<configs.count {
                let index = (step + round) % configs.count
                let result = try runOnce(input: input, sink: sink, config: configs[index], root: root)
                precondition(result.recordsIn == events, "read \(result.recordsIn) events, expected \(events)")
                results[index].append(result)
            }
        }
        let baseline = median(results[0].map { Double(events) / $0.seconds })
        for (index, config) in configs.enumerated() {
            let runResults = results[index]
            let rates = runResults.map { Double(events) / $0.seconds }
            let milliseconds = runResults.flatMap(\.checkpointMilliseconds).map(Double.init)
            var line = JSONLine()
            line.add("benchmark", "checkpoint-throughput")
            line.add("pipeline", "auction-stats")
            line.add("sink", sink.label)
            line.add("parallelism", parallelism)
            line.add("checkpointInterval", config.label)
            line.add("channelCapacity", config.channelCapacity)
            line.add("inputCopies", copies)
            line.add("events", events)
            line.add("runs", runResults.count)
            line.add("medianSeconds", median(runResults.map(\.seconds)))
            line.add("medianEventsPerSecond", Int(median(rates)))
            line.add("eventsPerSecondPerRun", rates.map { Int($0) })
            line.add("ratioToNone", median(rates) / baseline)
            line.add("blockedSecondsMedian", median(runResults.map(\.blockedSeconds)), digits: 2)
            if config.interval != nil {
                line.add("checkpointsCompletedPerRun", runResults.map(\.completed))
                line.add("checkpointsFailed", runResults.reduce(0) { $0 + $1.failed })
                line.add("checkpointMillisMedian", median(milliseconds), digits: 0)
                line.add("checkpointMillisP90", percentile(milliseconds, 0.9), digits: 0)
                line.add("checkpointMillisMax", milliseconds.max() ?? .nan, digits: 0)
                line.add("checkpointMillisSampled", milliseconds.count)
                line.add("stateBytes", runResults.map(\.stateBytes).max() ?? 0)
                line.add("stateCompressedBytes", runResults.max { $0.stateBytes < $1.stateBytes }?.stateCompressedBytes ?? 0)
            }
            line.emit()
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }
}
