import BenchSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One JSON object, its fields in the order they are added: for the checkpoint benchmarks,
/// whose results (fractional seconds, ratios, a reason for skipping) do not fit `BenchResult`.
struct JSONLine {
    private var fields: [String] = []

    mutating func add(_ key: String, _ value: Int) {
        fields.append("\"\(key)\":\(value)")
    }

    mutating func add(_ key: String, _ value: Double, digits: Int = 4) {
        fields.append("\"\(key)\":\(Self.number(value, digits: digits))")
    }

    mutating func add(_ key: String, _ value: String) {
        fields.append("\"\(key)\":\(Self.string(value))")
    }

    mutating func add(_ key: String, _ values: [Int]) {
        fields.append("\"\(key)\":[\(values.map(String.init).joined(separator: ","))]")
    }

    mutating func add(_ key: String, _ values: [Double], digits: Int = 4) {
        fields.append("\"\(key)\":[\(values.map { Self.number($0, digits: digits) }.joined(separator: ","))]")
    }

    var text: String { "{" + fields.joined(separator: ",") + "}" }

    /// Prints the line and flushes stdout, so that a long benchmark shows each line as it ends.
    func emit() {
        print(text)
        fflush(nil)
    }

    private static func number(_ value: Double, digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "null"
    }

    private static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// The median as `BenchResult` takes it (the upper one of an even count); nan for no values.
func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Monotonic time in nanoseconds.
@inline(__always)
func monotonicNow() -> UInt64 {
    DispatchTime.now().uptimeNanoseconds
}

/// The calling thread's CPU time in nanoseconds.
func threadCPUNow() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}

/// Seconds between two `monotonicNow()` readings.
func elapsedSeconds(_ start: UInt64, _ end: UInt64) -> Double {
    Double(end - start) / 1e9
}

/// `MemAvailable` from /proc/meminfo, in bytes, if it can be read.
func availableMemoryBytes() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
    }
    return nil
}

/// A new, empty directory under the system's temporary directory.
func makeBenchDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Busy-waits about `nanoseconds` (a slow consumer that burns its CPU, as real per-record work does).
@inline(never)
func spin(nanoseconds: UInt64) {
    let deadline = monotonicNow() + nanoseconds
    while monotonicNow() < deadline {}
}
