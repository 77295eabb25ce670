import ArgumentParser
import SluiceConnectors
import SluiceCore
import SluiceDSL
import SluiceRuntime

/// The command line every pipeline binary shares (design.md §2).
struct PipelineOptions: ParsableArguments {
    @Option(name: .customLong("input"), help: ArgumentHelp("Bind a source: NAME=URI (a file, a directory, -, tcp://HOST:PORT, tcp-listen://HOST:PORT). NAME= may be left out when the pipeline has one source.", valueName: "NAME=URI"))
    var inputs: [String] = []

    @Option(name: .customLong("output"), help: ArgumentHelp("Bind a sink: NAME=URI (a file, a directory, -, tcp://HOST:PORT). NAME= may be left out when the pipeline has one sink.", valueName: "NAME=URI"))
    var outputs: [String] = []

    @Option(help: "Parallel instances of each keyed stage and file source (default: cores).")
    var parallelism: Int?

    @Flag(help: "Keep reading inputs as they grow (live mode); stop with SIGINT/SIGTERM.")
    var follow = false

    @Option(help: "Reject longer input lines.")
    var maxLineBytes: Int = 1 << 20

    @Option(help: "skip: count and write bad records to the dead-letter file; fail: stop with an error.")
    var onBadRecord: String = "fail"

    @Option(help: "Where skipped records go (default: dead-letter.jsonl beside the first file output).")
    var deadLetter: String?

    @Option(help: "Enable checkpoints, stored under DIR.")
    var checkpointDir: String?

    @Option(help: "Time between checkpoints, e.g. 500ms, 5s, 1m.")
    var checkpointInterval: String = "10s"

    @Option(help: "Complete checkpoints to keep.")
    var retainCheckpoints: Int = 3

    @Option(help: "Resume from the newest complete checkpoint in --checkpoint-dir (latest) or from a checkpoint directory PATH.")
    var resume: String?

    @Option(help: "Serve Prometheus metrics on 127.0.0.1:PORT/metrics.")
    var metricsPort: Int?

    @Option(help: "How the kernel schedules the instance threads: batch (a woken consumer waits for the running thread's time slice, fewer context switches) or normal (it may preempt).")
    var threadScheduling = RunOptions().threadScheduling

    @Flag(help: "No progress line on stderr.")
    var quiet = false

    @Flag(help: "Print the physical plan and exit.")
    var explain = false

    /// The run options for `pipeline`, or a usage error.
    func runOptions(for pipeline: Pipeline) throws -> RunOptions {
        var options = RunOptions()
        if let parallelism { options.parallelism = parallelism }
        options.inputs = try bind(inputs, names: pipeline.sourceNames, flag: "--input")
        options.outputs = try bind(outputs, names: pipeline.sinkNames, flag: "--output")
        options.follow = follow
        guard maxLineBytes > 0 else { throw UsageError("--max-line-bytes must be positive") }
        options.maxLineBytes = maxLineBytes
        guard let policy = BadRecordPolicy(rawValue: onBadRecord) else {
            throw UsageError("--on-bad-record must be skip or fail, not \"\(onBadRecord)\"")
        }
        options.onBadRecord = policy
        options.deadLetterPath = deadLetter
        options.threadScheduling = threadScheduling
        options.checkpointDirectory = checkpointDir
        options.checkpointInterval = try Self.duration(checkpointInterval, flag: "--checkpoint-interval")
        guard retainCheckpoints >= 1 else { throw UsageError("--retain-checkpoints must be at least 1") }
        options.retainedCheckpoints = retainCheckpoints
        switch resume {
        case nil: break
        case "latest":
            guard checkpointDir != nil else { throw UsageError("--resume latest needs --checkpoint-dir") }
            options.resume = .latest
        case let path?: options.resume = .path(path)
        }
        return options
    }

    /// Parses `500ms`, `5s`, `1m`, `2h`.
    static func duration(_ text: String, flag: String) throws -> Duration {
        let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            if let value = Int64(text.dropLast(suffix.count)), value > 0 { return .milliseconds(value * milliseconds) }
        }
        throw UsageError("\(flag) \(text): expected a positive duration such as 500ms, 5s or 1m")
    }

    private func bind(_ values: [String], names: [String], flag: String) throws -> [String: String] {
        var bound: [String: String] = [:]
        for value in values {
            let name: String
            let uri: String
            if let equals = value.firstIndex(of: "="), names.contains(String(value[..<equals])) {
                name = String(value[..<equals])
                uri = String(value[value.index(after: equals)...])
            } else if let equals = value.firstIndex(of: "="), Self.looksLikeName(value[..<equals]) {
                // `nosuch=x` names a source or sink that does not exist; it is not a path.
                let kind = flag == "--input" ? "source" : "sink"
                throw UsageError("\(flag) \(value): the pipeline has no \(kind) named \"\(value[..<equals])\" (\(kind)s: \(names.joined(separator: ", ")))")
            } else if names.count == 1 {
                name = names[0]
                uri = value
            } else {
                throw UsageError("\(flag) \(value): say which one, as NAME=URI (names: \(names.joined(separator: ", ")))")
            }
            guard bound.updateValue(uri, forKey: name) == nil else {
                throw UsageError("\(flag) \(name) is given twice")
            }
        }
        return bound
    }

    /// Whether the text before `=` is a source or sink name rather than part of a path:
    /// letters, digits, `_` and `-` only.
    private static func looksLikeName(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }
}
