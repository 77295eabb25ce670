import BenchSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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
        let argv = [executable, "--input", "events=\(input)", "--output", "out=\(output)", "--quiet"]
        for _ in 0..<runs {
            // posix_spawn and waitpid: Foundation's Process notices an exit tens of milliseconds late.
            var status: Int32 = 0
            let seconds = try timed {
                let pointers: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
                defer { for pointer in pointers { free(pointer) } }
                var child: pid_t = 0
                let code = posix_spawn(&child, executable, nil, nil, pointers, environ)
                guard code == 0 else { throw NSError(domain: "bench", code: Int(code)) }
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            }
            guard status == 0 else { throw NSError(domain: "bench", code: Int(status)) }
            milliseconds.append(seconds * 1000)
        }
        let sorted = milliseconds.sorted()
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count
        return #"{"benchmark":"startup","binary":"\#(binary)","runs":\#(runs),"outputLines":\#(lines),"#
            + #""medianMilliseconds":\#(String(format: "%.2f", sorted[sorted.count / 2])),"maxMilliseconds":\#(String(format: "%.2f", sorted.last!))}"#
    }
}
