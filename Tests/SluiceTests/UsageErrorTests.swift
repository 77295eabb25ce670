import Testing
import Sluice

@Suite("Usage errors")
struct UsageErrorTests {
    /// A pipeline with source "in" and sink "out".
    static func simple() -> Pipeline {
        Pipeline { p in
            p.source("in", format: integerLines).map { $0 + 1 }.sink("out", format: integerSink)
        }
    }

    /// Plan and run must both refuse `options`, with a message containing `mention`.
    func expectUsageError(_ pipeline: Pipeline, _ options: RunOptions, mentioning mention: String,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let planError = #expect(throws: UsageError.self, sourceLocation: sourceLocation) { try pipeline.plan(options) }
        #expect(planError?.message.contains(mention) == true, "\(planError?.message ?? "")", sourceLocation: sourceLocation)
        let runError = #expect(throws: UsageError.self, sourceLocation: sourceLocation) { try pipeline.run(options) }
        #expect(runError?.message.contains(mention) == true, "\(runError?.message ?? "")", sourceLocation: sourceLocation)
    }

    @Test("an input bound to a name the pipeline does not have")
    func unknownInput() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["in": try directory.write("in.txt", "1\n"), "bids": directory.file("in.txt")]
        options.outputs = ["out": directory.file("out.txt")]
        expectUsageError(Self.simple(), options, mentioning: "bids")
    }

    @Test("an output bound to a name the pipeline does not have")
    func unknownOutput() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": directory.file("out.txt"), "extra": directory.file("extra.txt")]
        expectUsageError(Self.simple(), options, mentioning: "extra")
    }

    @Test("a source without an input")
    func missingInput() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.outputs = ["out": directory.file("out.txt")]
        expectUsageError(Self.simple(), options, mentioning: "\"in\"")
    }

    @Test("a sink without an output")
    func missingOutput() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        expectUsageError(Self.simple(), options, mentioning: "\"out\"")
    }

    @Test("two stateful steps with the same id")
    func duplicateOperatorIDs() {
        let pipeline = Pipeline { p in
            let numbers = p.source(elements: [1, 2, 3])
            numbers.keyed(by: { $0 }).reduce(id: "total") { $0 + $1 }.discard()
            numbers.keyed(by: { $0 % 2 }).reduce(id: "total") { $0 + $1 }.discard()
        }
        expectUsageError(pipeline, RunOptions(parallelism: 1), mentioning: "total")
    }

    @Test("two sources or two sinks with the same name")
    func duplicateEndpointNames() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": directory.file("out.txt")]
        let twoSources = Pipeline { p in
            p.source("in", format: integerLines).merge(p.source("in", format: integerLines)).sink("out", format: integerSink)
        }
        expectUsageError(twoSources, options, mentioning: "\"in\"")
        let twoSinks = Pipeline { p in
            let numbers = p.source("in", format: integerLines)
            numbers.sink("out", format: integerSink)
            numbers.map { $0 * 2 }.sink("out", format: integerSink)
        }
        expectUsageError(twoSinks, options, mentioning: "\"out\"")
    }

    @Test("parallelism outside 1...maxParallelism", arguments: [0, -1, 129])
    func badParallelism(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": directory.file("out.txt")]
        expectUsageError(Self.simple(), options, mentioning: "parallelism")
    }

    @Test("bad input and output URIs")
    func badURIs() throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: 1)
        options.inputs = ["in": "tcp://nowhere"]
        options.outputs = ["out": directory.file("out.txt")]
        expectUsageError(Self.simple(), options, mentioning: "tcp://nowhere")
        options.inputs = ["in": try directory.write("in.txt", "1\n")]
        options.outputs = ["out": "ftp://host/out"]
        expectUsageError(Self.simple(), options, mentioning: "ftp://host/out")
    }
}
