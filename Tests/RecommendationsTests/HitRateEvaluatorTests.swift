import Foundation
import Testing
import RecommendationsKit

@Suite("Hit-rate evaluator")
struct HitRateEvaluatorTests {
    static let hour: Int64 = 3_600_000

    private func view(_ user: Int, _ item: Int, _ ts: Int64) -> Interaction {
        Interaction(user: user, item: item, type: .view, ts: ts)
    }

    @Test func scoresTheLatestListStrictlyBefore() {
        // In file order, deliberately not in event-time order.
        let interactions = [
            view(1, 12, 3_000),
            view(1, 10, 1_000),
            view(2, 20, 1_500),  // user 2 never gets a list: not scored
            view(1, 13, 4_000),
            view(1, 11, 2_000),
        ]
        let recommendations = [
            Recommendation(user: 1, ts: 1_000, items: [11, 99]),  // in force at 2 000: hit
            Recommendation(user: 1, ts: 2_000, items: [50]),
            Recommendation(user: 1, ts: 2_000, items: [12]),      // same ts, later line: in force at 3 000: hit
            Recommendation(user: 1, ts: 3_000, items: [77]),      // in force at 4 000: miss
            Recommendation(user: 1, ts: 4_000, items: [13]),      // same ts as the interaction: too late for it
            Recommendation(user: 1, ts: 500, items: [10, 11]),    // written last but oldest: in force at 1 000 only: hit
        ]
        let report = HitRateEvaluator.evaluate(interactions: interactions, recommendations: recommendations)
        // User 1's four views are scored, user 2's is not.
        #expect(report.interactions == 4)
        #expect(report.hits == 3)
        #expect(report.hitRate == 0.75)
        // The baseline only ever offers item 20, as user 1's own items are left out: no hits.
        #expect(report.baselineHits == 0)
        // No baseline hit is counted as one, so the ratio is hits / 1.
        #expect(report.ratio == 3)
    }

    @Test func baselineIsTopTenOfTheLastHourMinusSeen() {
        var interactions: [Interaction] = []
        // User 50 (no lists, so never scored) gives item 100 + k a weight of k, k = 1...12.
        var ts: Int64 = 1_000
        for k in 1...12 {
            for _ in 0..<k {
                interactions.append(view(50, 100 + k, ts))
                ts += 1
            }
        }
        // Weights 112…105 then 104, 103 tied at 4 (lower id first), 102 at 2, 101 at 1.
        interactions += [
            view(60, 103, 2_000),  // tenth: hit (103 becomes 4)
            view(61, 102, 2_001),  // eleventh behind the 103/104 tie: miss (102 becomes 3)
            view(62, 112, 2_002),  // first: hit
            view(62, 102, 2_003),  // tenth once user 62's own 112 is left out: hit (102 becomes 4)
            view(63, 101, 2_004),  // twelfth: miss
        ]
        // A purchase just inside the hour counts; one exactly an hour old does not.
        interactions += [
            Interaction(user: 70, item: 300, type: .purchase, ts: 10_000_000),
            view(71, 300, 10_000_000 + Self.hour - 1),  // hit
            Interaction(user: 70, item: 400, type: .purchase, ts: 20_000_000),
            view(73, 400, 20_000_000 + Self.hour),       // weight gone: miss
        ]
        let recommendations = [60, 61, 62, 63, 71, 73].map { Recommendation(user: $0, ts: 0, items: []) }
        let report = HitRateEvaluator.evaluate(interactions: interactions, recommendations: recommendations)
        #expect(report.interactions == 7)
        #expect(report.hits == 0)
        #expect(report.baselineHits == 4)
        #expect(abs(report.baselineHitRate - 4.0 / 7.0) < 1e-12)
        #expect(report.ratio == 0)
    }

    @Test func unknownTypesAreLeftOut() {
        let interactions = [
            view(1, 5, 1_000),
            Interaction(user: 2, item: 7, type: .view, ts: 1_500),
            { var odd = view(1, 7, 2_000); odd.type = "wishlist"; return odd }(),
        ]
        let report = HitRateEvaluator.evaluate(
            interactions: interactions, recommendations: [Recommendation(user: 1, ts: 1_000, items: [7])])
        #expect(report.interactions == 0)
    }

    @Test func emptyInputGivesZeroReport() {
        let report = HitRateEvaluator.evaluate(interactions: [], recommendations: [])
        #expect(report == HitRateReport(interactions: 0, hits: 0, baselineHits: 0))
        #expect(report.hitRate == 0 && report.ratio == 0)
    }

    /// The definitions, written as plainly as possible, to check the fast version against.
    private func reference(_ interactions: [Interaction], _ recommendations: [Recommendation]) -> HitRateReport {
        let replay = interactions.enumerated()
            .filter { $0.element.kind != nil }
            .sorted { ($0.element.ts, $0.offset) < ($1.element.ts, $1.offset) }
            .map(\.element)
        var scored = 0
        var hits = 0
        var baselineHits = 0
        for (i, now) in replay.enumerated() {
            let before = recommendations.enumerated().filter { $0.element.user == now.user && $0.element.ts < now.ts }
            guard let latestTs = before.map(\.element.ts).max() else { continue }
            let list = before.last { $0.element.ts == latestTs }!.element.items
            scored += 1
            if list.contains(now.item) { hits += 1 }

            let earlier = replay[..<i]
            let seen = Set(earlier.filter { $0.user == now.user }.map(\.item))
            var weights: [Int: Double] = [:]
            for e in earlier where e.ts > now.ts - Self.hour { weights[e.item, default: 0] += e.kind!.weight }
            let top = weights.filter { $0.value > 0 && !seen.contains($0.key) }
                .sorted { ($0.value, -$0.key) > ($1.value, -$1.key) }
                .prefix(10).map(\.key)
            if top.contains(now.item) { baselineHits += 1 }
        }
        return HitRateReport(interactions: scored, hits: hits, baselineHits: baselineHits)
    }

    @Test(arguments: 1...20)
    func matchesThePlainDefinition(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let kinds: [InteractionKind] = [.view, .view, .view, .cart, .purchase]
        // Few users and items and coarse timestamps, so ties, repeats and evictions are common.
        let interactions = (0..<300).map { _ in
            Interaction(user: rng.within(1...6), item: rng.within(1...30), type: kinds[rng.below(kinds.count)],
                        ts: Int64(rng.below(48)) * 10 * 60_000)
        }
        let recommendations = (0..<120).map { _ in
            Recommendation(user: rng.within(1...6), ts: Int64(rng.below(48)) * 10 * 60_000,
                           items: (0..<10).map { _ in rng.within(1...30) })
        }
        let report = HitRateEvaluator.evaluate(interactions: interactions, recommendations: recommendations)
        #expect(report == reference(interactions, recommendations))
        #expect(report.interactions > 100)
        #expect(report.hits > 0 && report.baselineHits > 0)
    }

    @Test func readsJSONLinesSkippingBlanksAndReportsTheBadLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hitrate-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }

        try """
        {"user":1,"item":2,"type":"view","ts":3}

        {"ts":6,"type":"cart","item":5,"user":4,"extra":true}\r
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try HitRateEvaluator.readInteractions(path: path) == [
            Interaction(user: 1, item: 2, type: .view, ts: 3),
            Interaction(user: 4, item: 5, type: .cart, ts: 6),
        ])

        try "{\"user\":1,\"ts\":2,\"items\":[3,4]}\n  \n{\"user\":5,\"ts\":6,\"items\":[]}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try HitRateEvaluator.readRecommendations(path: path) == [
            Recommendation(user: 1, ts: 2, items: [3, 4]),
            Recommendation(user: 5, ts: 6, items: []),
        ])

        try "{\"user\":1,\"ts\":2,\"items\":[3]}\n\n{\"user\":1,\"ts\":\"soon\",\"items\":[]}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: HitRateEvaluator.ReadError.self) {
            try HitRateEvaluator.readRecommendations(path: path)
        }
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("\(path):3: ") == true)
    }

    @Test func reportIsOneLineOfJSONThatReadsBack() throws {
        let report = HitRateReport(interactions: 10, hits: 4, baselineHits: 1)
        let line = report.jsonLine
        #expect(!line.contains("\n"))
        #expect(line.hasPrefix(#"{"interactions":10,"hits":4,"hitRate":0.4,"baselineHits":1,"#))
        #expect(try JSONDecoder().decode(HitRateReport.self, from: Data(line.utf8)) == report)
        #expect(report.ratio == 4)
    }
}
