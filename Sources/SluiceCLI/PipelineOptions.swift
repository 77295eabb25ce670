import ArgumentParser
import SluiceConnectors
import SluiceDSL

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

    @Option(help: "Serve Prometheus metrics on 127.0.0.1:PORT/metrics.")
    var metricsPort: Int?

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
        return options
    }

    private func bind(_ values: [String], names: [String], flag: String) throws -> [String: String] {
        var bound: [String: String] = [:]
        for value in values {
            let name: String
            let uri: String
            if let equals = value.firstIndex(of: "="), names.contains(String(value[..<equals])) {
                name = String(value[..<equals])
                uri = String(value[value.index(after: equals)...])
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
}
