import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a pipeline binary built beside this one on a file, as a user would, and reports
/// events/s and the peak resident memory of the process.
public enum PipelineBinaryBenchmark {
    /// Runs `binary` `runs` times with `--input events=FILE` (and any `extraArguments`), its
    /// output to a scratch file; the result counts `events` per run.
    public static func run(binary: String, file: String, events: Int, parallelism: Int, runs: Int,
                           extraArguments: [String] = []) throws -> BenchResult {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let executable = directory.appendingPathComponent(binary)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw NSError(domain: "bench", code: 2, userInfo: [NSLocalizedDescriptionKey:
                "\(executable.path) is not built: swift build -c release --product \(binary)"])
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(binary).out").path
        var seconds: [Double] = []
        var peakKilobytes = 0
        for _ in 0..<runs {
            let arguments = ["--input", "events=\(file)", "--output", "out=\(output)", "--parallelism", "\(parallelism)", "--quiet"]
                + extraArguments
            let run = try ChildRun.run(executable.path, arguments, sampleMemory: true)
            guard run.status == 0 else {
                throw NSError(domain: "bench", code: Int(run.status),
                              userInfo: [NSLocalizedDescriptionKey: "\(binary) exited with status \(run.status)"])
            }
            peakKilobytes = max(peakKilobytes, run.peakKilobytes)
            seconds.append(run.seconds)
        }
        try? FileManager.default.removeItem(atPath: output)
        var result = BenchResult(benchmark: binary, parallelism: parallelism, events: events, seconds: seconds)
        result.extra["peakRSSBytes"] = Double(peakKilobytes * 1024)
        return result
    }
}

/// VmHWM of a running process, in KiB (0 once it has exited).
public func highWaterKilobytes(of pid: Int32) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}
