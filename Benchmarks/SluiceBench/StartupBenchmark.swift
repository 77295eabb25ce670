import BenchSupport
import Foundation

/// How long a pipeline binary takes from exec to exit on a one-line input: an upper bound on
/// its startup to first record (the one record is read, processed and written before exit).
enum StartupBenchmark {
    static func run(binary: String, runs: Int) throws -> String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-startup")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let input = scratch.appendingPathComponent("one-bid.jsonl").path
        let output = scratch.appendingPathComponent("out.jsonl").path
        try #"{"type":"bid","auction":1,"bidder":2,"price":3,"channel":"web","url":"u","dateTime":4,"extra":""}"#
            .appending("\n").write(toFile: input, atomically: true, encoding: .utf8)
        var milliseconds: [Double] = []
        let executable = directory.appendingPathComponent(binary).path
        for _ in 0..<runs {
            let run = try ChildRun.run(executable, ["--input", "events=\(input)", "--output", "out=\(output)", "--quiet"])
            guard run.status == 0 else { throw NSError(domain: "bench", code: Int(run.status)) }
            milliseconds.append(run.seconds * 1000)
        }
        let sorted = milliseconds.sorted()
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count
        return #"{"benchmark":"startup","binary":"\#(binary)","runs":\#(runs),"outputLines":\#(lines),"#
            + #""medianMilliseconds":\#(String(format: "%.2f", sorted[sorted.count / 2])),"maxMilliseconds":\#(String(format: "%.2f", sorted.last!))}"#
    }
}
