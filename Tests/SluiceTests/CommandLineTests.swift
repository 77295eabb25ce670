import Testing
import Sluice

/// The exit status of the shared command line on usage mistakes (design.md §2: 2 for a usage
/// error). `--explain` keeps the successful cases from running anything.
@Suite("Command line")
struct CommandLineTests {
    static func define(_ p: inout PipelineBuilder) throws {
        let a = p.source("a", format: integerLines)
        let b = p.source("b", format: integerLines)
        a.merge(b).sink("out", format: integerSink)
    }

    @Test("usage mistakes exit with status 2", arguments: [
        ["--input", "a.txt"],                                   // two sources: the name is needed
        ["--input", "c=x.txt", "--explain"],                    // no source c
        ["--input", "a=x", "--input", "a=y", "--explain"],      // bound twice
        ["--on-bad-record", "maybe", "--explain"],
        ["--max-line-bytes", "0", "--explain"],
        ["--no-such-flag"],
        ["--parallelism", "many"],
    ])
    func usageMistakes(arguments: [String]) {
        #expect(PipelineCommand.run(arguments: arguments, define: Self.define) == 2)
    }

    @Test("planning errors found after parsing exit with status 2 too")
    func planningErrors() throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a.txt", "1\n")
        let b = try directory.write("b.txt", "2\n")
        let base = ["--input", "a=\(a)", "--input", "b=\(b)", "--output", directory.file("out.txt"), "--explain"]
        #expect(PipelineCommand.run(arguments: base, define: Self.define) == 0)
        #expect(PipelineCommand.run(arguments: base + ["--parallelism", "0"], define: Self.define) == 2)
        #expect(PipelineCommand.run(arguments: Array(base.dropFirst(2)), define: Self.define) == 2)  // a unbound
    }
}
