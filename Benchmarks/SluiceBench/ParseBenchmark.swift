import BenchSupport
import Sluice
import SluiceNexmark

/// Reads a Nexmark file, decodes every line into its event type, and drops the records:
/// the cost of the source path (read, split, decode, batch) alone.
enum ParseBenchmark {
    static func run(file: String, events: Int, bytes: Int, parallelism: Int, runs: Int) throws -> BenchResult {
        let pipeline = Pipeline { p in
            p.source("events", format: .jsonLines(NexmarkEvent.self)).discard()
        }
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["events": file]
        var seconds: [Double] = []
        for _ in 0..<runs {
            var summary: RunSummary?
            let elapsed = try timed { summary = try pipeline.run(options) }
            precondition(summary?.recordsOut == events, "parse benchmark lost records")
            seconds.append(elapsed)
        }
        var result = BenchResult(benchmark: "parse", parallelism: parallelism, events: events, seconds: seconds)
        result.extra["medianBytesPerSecond"] = Double(bytes) / result.medianSeconds
        return result
    }
}
