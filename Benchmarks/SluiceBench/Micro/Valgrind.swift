import BenchSupport
import Foundation

/// Counts what wall-clock time cannot show reliably on a shared machine, by running a command
/// under valgrind: instructions (callgrind) and heap allocations (DHAT). Both counts depend only
/// on the code and its input, not on the machine's load, so they can be compared across commits.
struct Valgrind {
    /// The `valgrind` executable.
    let path: String
    /// Where the tools' output files go.
    let scratch: String

    /// The first `valgrind` on `PATH`, or nil when there is none.
    static func find(scratch: String) -> Valgrind? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/valgrind"
            if FileManager.default.isExecutableFile(atPath: candidate) { return Valgrind(path: candidate, scratch: scratch) }
        }
        return nil
    }

    /// The instructions executed inside calls of the function whose symbol is `function` (with
    /// the functions it calls), counted by callgrind.
    func instructions(of command: [String], inside function: String) throws -> Int {
        let output = "\(scratch)/callgrind.out"
        try run(["--tool=callgrind", "--callgrind-out-file=\(output)", "--collect-atstart=no",
                 "--toggle-collect=\(function)"], command)
        // The header's `summary:` (older versions) or the trailing `totals:` line holds the count of
        // the only event collected, `Ir`.
        let text = try String(contentsOfFile: output, encoding: .utf8)
        for line in text.split(separator: "\n").reversed() where line.hasPrefix("totals:") || line.hasPrefix("summary:") {
            if let count = line.split(separator: " ").last.flatMap({ Int($0) }) { return count }
        }
        throw ValgrindError("no instruction total in \(output)")
    }

    /// The heap blocks and bytes the whole command allocated, counted by DHAT.
    func heapTotals(of command: [String]) throws -> (blocks: Int, bytes: Int) {
        let log = try run(["--tool=dhat", "--dhat-out-file=/dev/null"], command)
        // "==123== Total:     79,278 bytes in 239 blocks"
        for line in log.split(separator: "\n") where line.contains("Total:") {
            let numbers = line.split(separator: " ").compactMap { Int($0.replacingOccurrences(of: ",", with: "")) }
            if numbers.count == 2 { return (blocks: numbers[1], bytes: numbers[0]) }
        }
        throw ValgrindError("no heap totals in DHAT's log:\n\(log)")
    }

    /// Runs `command` under valgrind with `options` and returns valgrind's log. Hashing is made
    /// deterministic (Swift seeds `Hasher` per process), so that hashed collections do the same
    /// work in every run.
    @discardableResult
    private func run(_ options: [String], _ command: [String]) throws -> String {
        let log = "\(scratch)/valgrind.log"
        let child = try ChildRun.run(path, options + ["--log-file=\(log)"] + command,
                                     environment: ["SWIFT_DETERMINISTIC_HASHING": "1"])
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        guard child.status == 0 else { throw ValgrindError("valgrind \(options[0]) failed (wait status \(child.status)):\n\(text)") }
        return text
    }
}

/// Why valgrind gave no count.
struct ValgrindError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
