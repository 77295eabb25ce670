import BenchSupport
import Foundation
import RecommendationsKit

/// Runs the pipeline on a generated stream with its catalog and scores its lists: the share of
/// interactions whose item was in the user's list just before, against a most-popular baseline.
enum QualityBenchmark {
    static func run(users: Int, items: Int, events: Int, seed: UInt64) throws -> String {
        let stream = try GeneratedStream.cached(users: users, items: items, events: events, seed: seed)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("recommendations-quality.out").path
        let run = try ChildRun.run(binaryDirectory.appendingPathComponent("recommendations").path,
                                   ["--input", "events=\(stream.events)", "--input", "items=\(stream.catalog)",
                                    "--output", "out=\(output)", "--quiet"])
        guard run.status == 0 else { throw BenchError("recommendations exited with status \(run.status)") }
        let report = HitRateEvaluator.evaluate(interactions: try HitRateEvaluator.readInteractions(path: stream.events),
                                               recommendations: try HitRateEvaluator.readRecommendations(path: output))
        try? FileManager.default.removeItem(atPath: output)
        return "{\"benchmark\":\"recommendations-quality\",\"users\":\(users),\"items\":\(items),\"events\":\(events),\"seed\":\(seed),"
            + "\"evaluated\":\(report.interactions),\"hitRate\":\(rounded(report.hitRate)),"
            + "\"baselineHitRate\":\(rounded(report.baselineHitRate)),\"ratio\":\(rounded(report.ratio))}"
    }

    static func rounded(_ value: Double) -> String { String(format: "%.4f", value) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
