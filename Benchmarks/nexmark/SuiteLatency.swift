import Foundation

/// The latency figures of one query and parallelism, as `nexmark latency` prints them.
struct SuiteLatency {
    var rate: Double
    var samples: Int
    var p50Ms: Double
    var p99Ms: Double
    var from: String

    init?(line: String) {
        guard let data = line.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rate = (object["rate"] as? NSNumber)?.doubleValue, let samples = object["samples"] as? Int,
              let from = object["from"] as? String else { return nil }
        self.rate = rate
        self.samples = samples
        p50Ms = (object["p50Ms"] as? NSNumber)?.doubleValue ?? .nan
        p99Ms = (object["p99Ms"] as? NSNumber)?.doubleValue ?? .nan
        self.from = from
    }

    var json: String {
        func ms(_ value: Double) -> String { value.isNaN ? "null" : Fixed.format(value, decimals: 3) }
        return #"{"rate":\#(Int(rate)),"samples":\#(samples),"p50Ms":\#(ms(p50Ms)),"p99Ms":\#(ms(p99Ms)),"from":"\#(from)"}"#
    }
}
