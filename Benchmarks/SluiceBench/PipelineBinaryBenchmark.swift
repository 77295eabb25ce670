import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline binary built beside this one on a file, as a user would, and reports
/// events/s and the peak resident memory of the process.
enum PipelineBinaryBenchmark {
    static func run(binary: String, file: String, events: Int, parallelism: Int, runs: Int) throws -> BenchResult {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = directory.appendingPathComponent(binary)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(binary).out").path
        var seconds: [Double] = []
        var peakKilobytes = 0
        for _ in 0..<runs {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--input", "events=\(file)", "--output", "out=\(output)", "--parallelism", "\(parallelism)", "--quiet"]
            let elapsed = try timed {
                try process.run()
                process.waitUntilExit()
            }
            guard process.terminationStatus == 0 else {
                throw NSError(domain: "bench", code: Int(process.terminationStatus),
                              userInfo: [NSLocalizedDescriptionKey: "\(binary) exited with \(process.terminationStatus)"])
            }
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
            peakKilobytes = max(peakKilobytes, usage.ru_maxrss)
            seconds.append(elapsed)
        }
        try? FileManager.default.removeItem(atPath: output)
        var result = BenchResult(benchmark: binary, parallelism: parallelism, events: events, seconds: seconds)
        result.extra["peakRSSBytes"] = Double(peakKilobytes * 1024)
        return result
    }
}
