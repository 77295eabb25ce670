import Foundation

/// One measurement: a benchmark at one parallelism, over several runs.
struct BenchResult {
    var benchmark: String
    var parallelism: Int
    var events: Int
    var seconds: [Double]
    var extra: [String: Double] = [:]

    var medianSeconds: Double {
        let sorted = seconds.sorted()
        return sorted[sorted.count / 2]
    }

    var jsonLine: String {
        var fields = [
            "\"benchmark\":\"\(benchmark)\"",
            "\"parallelism\":\(parallelism)",
            "\"events\":\(events)",
            "\"runs\":\(seconds.count)",
            "\"medianSeconds\":\(String(format: "%.4f", medianSeconds))",
            "\"medianEventsPerSecond\":\(Int(Double(events) / medianSeconds))",
            "\"eventsPerSecondPerRun\":[\(seconds.map { String(Int(Double(events) / $0)) }.joined(separator: ","))]",
        ]
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { fields.append("\"\(key)\":\(Int(value))") }
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// Wall-clock seconds of `body`.
func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
