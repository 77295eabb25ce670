import Foundation
import SluiceNexmark

/// The directory the pipeline binaries were built into (next to the test bundle).
let binaryDirectory: URL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()

/// A pipeline binary run as a child process, its stderr collected.
final class PipelineProcess {
    let process = Process()
    private let errorPipe = Pipe()

    init(_ binary: String, _ arguments: [String]) throws {
        process.executableURL = binaryDirectory.appendingPathComponent(binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        try process.run()
    }

    /// Waits for the process and returns its exit status and stderr.
    func finish() -> (status: Int32, stderr: String) {
        let data = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Kills the process with `signal` (SIGKILL: a crash) once `condition` holds, or leaves it alone if it
    /// exits first; the condition is polled because a crash is timed by the pipeline's progress.
    func kill(signal: Int32 = SIGKILL, when condition: () -> Bool) -> (killed: Bool, status: Int32, stderr: String) {
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && !condition() && Date() < deadline { usleep(2_000) }
        let killed = process.isRunning
        if killed { Foundation.kill(process.processIdentifier, signal) }
        let (status, stderr) = finish()
        return (killed, status, stderr)
    }

    /// Bytes the process has read so far (`rchar` of /proc/PID/io).
    var bytesRead: Int {
        guard let io = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/io", encoding: .utf8) else { return 0 }
        for line in io.split(separator: "\n") where line.hasPrefix("rchar:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }

    /// Runs a binary to its end.
    static func run(_ binary: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        try PipelineProcess(binary, arguments).finish()
    }
}

/// A fresh temporary directory, removed when the test is done.
final class Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-checkpoint-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The ids of the complete checkpoints (with a manifest) in `directory`.
func completeCheckpoints(in directory: String) -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.compactMap { name -> Int? in
        guard name.hasPrefix("chk-"), let id = Int(name.dropFirst(4)),
              FileManager.default.fileExists(atPath: directory + "/" + name + "/_manifest.json") else { return nil }
        return id
    }.sorted()
}

/// The lines of a file, sorted (outputs of parallel instances interleave in any order).
func sortedLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
}

/// Inputs shared by the tests. Each is named for what it holds, so that later test runs reuse it
/// instead of leaving a copy per run in the temporary directory, and is written under a
/// temporary name and renamed, so that concurrent test processes never read a partial file.
enum Inputs {
    static let events: String = shared("sluice-checkpoint-events-seed11-150000.jsonl") { path in
        _ = try! NexmarkGenerator(seed: 11).writeFile(path: path, events: 150_000)
    }

    /// A click stream for the recommendation pipeline, from its own generator.
    static let interactions: String = shared("sluice-checkpoint-interactions-u500-i400-e80000-seed5.jsonl") { path in
        let (status, stderr) = try! PipelineProcess.run("recommendations", ["generate", "--users", "500", "--items", "400",
                                                                             "--events", "80000", "--out", path, "--seed", "5"])
        precondition(status == 0, "recommendations generate failed: \(stderr)")
    }

    private static func shared(_ name: String, write: (String) -> Void) -> String {
        let path = NSTemporaryDirectory() + name
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        let partial = path + ".\(getpid()).partial"
        write(partial)
        precondition(rename(partial, path) == 0, "cannot rename \(partial) to \(path): errno \(errno)")
        return path
    }
}

/// A small seeded generator: the crash moments are random but reproducible.
struct Dice {
    var state: UInt64
    mutating func roll(_ range: ClosedRange<Int>) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return range.lowerBound + Int((state >> 33) % UInt64(range.count))
    }
}
