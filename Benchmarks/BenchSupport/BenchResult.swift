import Foundation

/// One measurement: a benchmark at one parallelism, over several runs.
public struct BenchResult {
    public var benchmark: String
    public var parallelism: Int
    public var events: Int
    public var seconds: [Double]
    public var extra: [String: Double] = [:]

    public init(benchmark: String, parallelism: Int, events: Int, seconds: [Double], extra: [String: Double] = [:]) {
        self.benchmark = benchmark
        self.parallelism = parallelism
        self.events = events
        self.seconds = seconds
        self.extra = extra
    }

    public var medianSeconds: Double {
        let sorted = seconds.sorted()
        return sorted[sorted.count / 2]
    }

    public var jsonLine: String {
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
public func timed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
