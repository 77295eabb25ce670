import ArgumentParser
import Foundation
import NexmarkQueries
import SluiceNexmark

/// `nexmark suite`: the whole Nexmark benchmark in one command. Every query × parallelism × input
/// kind (events generated in the engine, or read from a JSON-lines file) runs `--runs` times, each
/// in a fresh process; one JSON line per combination gives the median run (by events/s) with every
/// run's events/s, and a Markdown table of the medians goes to `--markdown`. A combination whose
/// runs fail gets a line with its error; the others still run, and the exit status is then 1.
///
/// Each query × input also runs at parallelism 1 on one core (`--cores 1`), unless
/// `--no-one-core-baseline`: the highest parallelism on all cores against that is the scaling with
/// cores, which the parallelism alone does not show where parallelism 1 already uses more than one.
struct Suite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suite",
        abstract: "Run every query at every parallelism on generated and file input; print JSON lines and write a Markdown table.")

    @Option(help: "Comma-separated queries.")
    var queries: String = NexmarkQuery.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Comma-separated parallelisms.")
    var parallelism: String = "1,2"

    @Option(help: "Events per run.")
    var events: Int = 10_000_000

    @Option(help: "Runs per combination (the median is reported).")
    var runs: Int = 3

    @Option(help: "Comma-separated input kinds: generated, file.")
    var inputs: String = "generated,file"

    @Option(help: "Where the Markdown table goes.")
    var markdown: String = "nexmark-suite.md"

    @Option(help: "Comma-separated queries whose latency is measured (on generated events, at half the median events/s), or none.")
    var latencyQueries: String = Latency.queries.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seconds of input per latency run of a record query (q0, q1).")
    var latencySeconds: Double = 20

    @Option(help: "Seconds of input per latency run of a windowed query (q5, q7, q8): 10 s windows close a few times a minute.")
    var windowLatencySeconds: Double = 60

    @Flag(inversion: .prefixedNo, help: "Also run each query and input at parallelism 1 on one core.")
    var oneCoreBaseline = true

    func validate() throws {
        guard parsedQueries.allSatisfy({ NexmarkQuery(name: $0) != nil }) else { throw ValidationError("--queries: unknown query") }
        guard !parsedParallelism.isEmpty, parsedParallelism.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--parallelism: e.g. 1,2") }
        guard parsedInputs.allSatisfy({ $0 == "generated" || $0 == "file" }) else { throw ValidationError("--inputs: generated and/or file") }
        guard events > 0, runs > 0 else { throw ValidationError("--events and --runs must be positive") }
        guard parsedLatencyQueries.allSatisfy({ Latency.queries.contains($0) }) else {
            throw ValidationError("--latency-queries: some of \(Latency.queries.map(\.rawValue).joined(separator: ","))")
        }
    }

    private var parsedQueries: [String] { queries.split(separator: ",").map(String.init) }
    private var parsedParallelism: [Int] { parallelism.split(separator: ",").compactMap { Int($0) } }
    private var parsedInputs: [String] { inputs.split(separator: ",").map(String.init) }
    private var parsedLatencyQueries: [NexmarkQuery] {
        latencyQueries == "none" ? [] : latencyQueries.split(separator: ",").compactMap { NexmarkQuery(name: String($0)) }
    }

    func run() throws {
        let executable = try ownExecutable()
        var file: String?
        if parsedInputs.contains("file") {
            let path = NSTemporaryDirectory() + "nexmark-suite-\(events).jsonl"
            if !FileManager.default.fileExists(atPath: path) {
                _ = try NexmarkGenerator(seed: 1).writeFile(path: path, events: events)
            }
            file = path
        }
        var medians: [SuiteResult] = []
        var oneCore: [SuiteResult] = []
        var failed = false
        let withBaseline = oneCoreBaseline && parsedParallelism.contains(1) && parsedParallelism.contains { $0 > 1 }
        for query in parsedQueries {
            for input in parsedInputs {
                let inputArguments = input == "file" ? ["--input", file!] : ["--events", String(events)]
                for p in parsedParallelism {
                    guard var median = medianRun(executable, query: query, input: input, parallelism: p, cores: nil,
                                               inputArguments: inputArguments) else {
                        failed = true
                        continue
                    }
                    if input == "generated", let measured = NexmarkQuery(name: query), parsedLatencyQueries.contains(measured) {
                        median.latency = measureLatency(executable, query: measured, parallelism: p, rate: median.eventsPerSecond / 2)
                    }
                    print(median.jsonLine)
                    fflush(nil)
                    medians.append(median)
                }
                guard withBaseline else { continue }
                guard let baseline = medianRun(executable, query: query, input: input, parallelism: 1, cores: 1,
                                            inputArguments: inputArguments) else {
                    failed = true
                    continue
                }
                print(baseline.jsonLine)
                fflush(nil)
                oneCore.append(baseline)
            }
        }
        try SuiteTable(results: medians, oneCore: oneCore, parallelisms: parsedParallelism, runs: runs, events: events)
            .markdown.write(toFile: markdown, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("table written to \(markdown)\n".utf8))
        if failed { throw ExitCode.failure }
    }

    /// The median (by events/s) of `runs` runs of one combination, each in a fresh process, with
    /// every run's events/s; nil, after printing a line with the error, when a run fails.
    private func medianRun(_ executable: String, query: String, input: String, parallelism: Int, cores: Int?,
                        inputArguments: [String]) -> SuiteResult? {
        var arguments = ["run", "--query", query, "--parallelism", String(parallelism)] + inputArguments
        if let cores { arguments += ["--cores", String(cores)] }
        var results: [SuiteResult] = []
        do {
            for _ in 0..<runs {
                let line = try runChild(executable, arguments)
                guard let result = SuiteResult(line: line, input: input) else { throw RunFailure("unreadable summary: \(line)") }
                results.append(result)
            }
        } catch {
            // One failing combination is reported, and the suite goes on.
            let reason = String(describing: error).replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\n", with: " ")
            print(#"{"query":"\#(query)","input":"\#(input)","parallelism":\#(parallelism),"cores":\#(cores.map(String.init) ?? "null"),"error":"\#(reason)"}"#)
            fflush(nil)
            return nil
        }
        var median = results.sorted { $0.eventsPerSecond < $1.eventsPerSecond }[results.count / 2]
        median.perRun = results.map(\.eventsPerSecond)
        return median
    }
}

/// One run's summary, as `nexmark run` prints it, with the input kind.
struct SuiteResult {
    var query: String
    var input: String
    var parallelism: Int
    /// The CPUs the run could use.
    var cores: Int
    var eventsPerSecond: Double
    var cpuSecondsPerMillionEvents: Double
    var peakRSSBytes: Int
    var perRun: [Double] = []
    /// Measured on generated events for the queries that have it.
    var latency: SuiteLatency?

    init?(line: String, input: String) {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let query = object["query"] as? String, let p = object["parallelism"] as? Int,
              let rate = (object["eventsPerSecond"] as? NSNumber)?.doubleValue,
              let cpu = (object["cpuSecondsPerMillionEvents"] as? NSNumber)?.doubleValue,
              let cores = object["cores"] as? Int,
              let peak = object["peakRSSBytes"] as? Int else { return nil }
        self.query = query
        self.input = input
        parallelism = p
        self.cores = cores
        eventsPerSecond = rate
        cpuSecondsPerMillionEvents = cpu
        peakRSSBytes = peak
    }

    var jsonLine: String {
        let runs = perRun.map { String(Int($0)) }.joined(separator: ",")
        return #"{"query":"\#(query)","input":"\#(input)","parallelism":\#(parallelism),"cores":\#(cores),"eventsPerSecond":\#(Int(eventsPerSecond)),"#
            + #""eventsPerSecondPerRun":[\#(runs)],"cpuSecondsPerMillionEvents":\#(Fixed.format(cpuSecondsPerMillionEvents, decimals: 3)),"#
            + #""peakRSSBytes":\#(peakRSSBytes),"latency":\#(latency?.json ?? "null")}"#
    }
}

/// The Markdown table of a suite's medians: one row per query and input kind.
struct SuiteTable {
    var results: [SuiteResult]
    /// Parallelism 1 on one core, per query and input (none without the baseline).
    var oneCore: [SuiteResult] = []
    var parallelisms: [Int]
    var runs: Int
    var events: Int

    var markdown: String {
        var header = "| query | input |"
        var rule = "|---|---|"
        for p in parallelisms {
            header += " P=\(p) events/s | P=\(p) CPU s / M events | P=\(p) peak RSS | P=\(p) latency p50 / p99 |"
            rule += "---|---|---|---|"
        }
        if parallelisms.count > 1 {
            header += " P=\(parallelisms.last!) / P=\(parallelisms.first!) |"
            rule += "---|"
        }
        var lines = ["Nexmark, \(events) events per run, median of \(runs) runs, release build.", "", header, rule]
        var seen: Set<String> = []
        for result in results where seen.insert(result.query + "/" + result.input).inserted {
            var row = "| \(result.query) | \(result.input) |"
            var rates: [Double] = []
            for p in parallelisms {
                guard let cell = self.cell(result.query, result.input, parallelism: p) else {
                    row += " failed | | | |"
                    continue
                }
                rates.append(cell.eventsPerSecond)
                row += " \(Fixed.format(cell.eventsPerSecond / 1e6, decimals: 2)) M | \(Fixed.format(cell.cpuSecondsPerMillionEvents, decimals: 3)) | \(cell.peakRSSBytes / 1_048_576) MB |"
                row += " \(cell.latency.map(Self.latencyCell) ?? "") |"
            }
            if parallelisms.count > 1, rates.count == parallelisms.count {
                row += " \(Fixed.format(rates.last! / rates.first!, decimals: 2))× |"
            }
            lines.append(row)
        }
        lines += ["", "Latency: at half the median events/s of the row, on generated events (`nexmark latency`); q0/q1 from a record",
                  "entering to its row leaving, q5/q7/q8 from the watermark passing a window's end (n: rows measured)."]
        lines += scalingWithCores
        return lines.joined(separator: "\n") + "\n"
    }

    /// The highest parallelism on every core against parallelism 1 on one core, and against
    /// parallelism 1 on every core with the most that comparison allows: P=1 already keeps
    /// `busy` cores busy (CPU seconds per event × events/s), one thread per stage behind an
    /// exchange, so on the same `cores` P=top can gain at most `cores / busy` at P=1's cost per
    /// event.
    private var scalingWithCores: [String] {
        guard !oneCore.isEmpty, let top = parallelisms.max(), top > 1 else { return [] }
        var lines = ["", "Scaling with cores: parallelism 1 restricted to one core (`nexmark run --cores 1`) against P=\(top) on all of them.",
                     "Beside it, P=\(top) against P=1 both on all the cores, and the most that can give: P=1 already keeps *busy* cores",
                     "busy (a thread per stage behind an exchange), so P=\(top) can gain at most *cores / busy* at P=1's cost per event.", "",
                     "| query | input | P=1 on 1 core events/s | P=1 on 1 core CPU s / M events | P=\(top) events/s | P=\(top) / P=1 on 1 core | "
                        + "P=1 on all cores: busy | P=\(top) / P=1, both on all cores | at most |",
                     "|---|---|---|---|---|---|---|---|---|"]
        for baseline in oneCore {
            guard let cell = self.cell(baseline.query, baseline.input, parallelism: top) else { continue }
            var row = "| \(baseline.query) | \(baseline.input) | \(Fixed.format(baseline.eventsPerSecond / 1e6, decimals: 2)) M | "
                + "\(Fixed.format(baseline.cpuSecondsPerMillionEvents, decimals: 3)) | \(Fixed.format(cell.eventsPerSecond / 1e6, decimals: 2)) M | "
                + "\(Fixed.format(cell.eventsPerSecond / baseline.eventsPerSecond, decimals: 2))× |"
            if let single = self.cell(baseline.query, baseline.input, parallelism: 1) {
                let busy = single.eventsPerSecond / 1e6 * single.cpuSecondsPerMillionEvents
                row += " \(Fixed.format(busy, decimals: 2)) | \(Fixed.format(cell.eventsPerSecond / single.eventsPerSecond, decimals: 2))× |"
                    + " \(Fixed.format(Double(single.cores) / busy, decimals: 2))× |"
            } else {
                row += " | | |"
            }
            lines.append(row)
        }
        return lines
    }

    private func cell(_ query: String, _ input: String, parallelism: Int) -> SuiteResult? {
        results.first { $0.query == query && $0.input == input && $0.parallelism == parallelism }
    }

    static func latencyCell(_ latency: SuiteLatency) -> String {
        "\(Fixed.format(latency.p50Ms, decimals: 1)) / \(Fixed.format(latency.p99Ms, decimals: 1)) ms (n = \(latency.samples))"
    }
}
