import Foundation
import Sluice

/// How often a recommender's list held the next item a user touched, beside a popularity
/// baseline scored on the same interactions. See `HitRateEvaluator`.
public struct HitRateReport: Codable, Sendable, Hashable {
    /// Interactions scored: those whose user had a recommendation list before them.
    public var interactions: Int
    /// Interactions whose item was in the user's latest list before them.
    public var hits: Int
    /// `hits / interactions`, 0 when nothing was scored.
    public var hitRate: Double
    /// Interactions whose item was in the baseline's list at that moment.
    public var baselineHits: Int
    /// `baselineHits / interactions`, 0 when nothing was scored.
    public var baselineHitRate: Double
    /// `hitRate / baselineHitRate`. When the baseline hit nothing it is taken to have hit once,
    /// so the ratio stays a finite number (JSON has no infinity) and errs low, never high.
    public var ratio: Double

    /// A report with the rates and ratio worked out from the counts.
    public init(interactions: Int, hits: Int, baselineHits: Int) {
        self.interactions = interactions
        self.hits = hits
        self.baselineHits = baselineHits
        hitRate = interactions == 0 ? 0 : Double(hits) / Double(interactions)
        baselineHitRate = interactions == 0 ? 0 : Double(baselineHits) / Double(interactions)
        ratio = interactions == 0 ? 0 : Double(hits) / Double(max(baselineHits, 1))
    }

    /// The report as one line of JSON, without a newline, keys in declaration order (Sluice's
    /// record encoder writes them so; `JSONEncoder` does not fix an order).
    public var jsonLine: String {
        var encoder = JSONRecordEncoder<HitRateReport>()
        var bytes: [UInt8] = []
        do { try encoder.encode(self, into: &bytes) } catch { return "{}" }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }
}
