import RecommendationsKit
import Testing

@Suite("Recommender model")
struct RecommenderModelTests {
    static var settings: RecommenderSettings {
        var settings = RecommenderSettings()
        settings.sessionGap = 1_000
        settings.trendingWindow = 10_000
        settings.trendingSlide = 1_000
        settings.listSize = 3
        return settings
    }

    static func event(_ user: Int, _ item: Int, _ kind: InteractionKind = .view, at ts: Int64, category: Int = 7) -> EnrichedInteraction {
        EnrichedInteraction(Interaction(user: user, item: item, type: kind, ts: ts), category: category)
    }

    @Test("a profile relates an item to the earlier items of its session only, and remembers what was seen")
    func sessions() {
        var profile = UserProfile()
        let settings = Self.settings
        #expect(profile.record(Self.event(1, 10, at: 0), settings: settings).sessionItems == [])
        #expect(profile.record(Self.event(1, 11, at: 500), settings: settings).sessionItems == [10])
        #expect(profile.record(Self.event(1, 10, .cart, at: 900), settings: settings).sessionItems == [11])
        let afterGap = profile.record(Self.event(1, 12, at: 5_000), settings: settings)
        #expect(afterGap.sessionItems == [], "more than the gap later, a new session starts")
        #expect(afterGap.seen == [10, 11, 12])
        #expect(afterGap.recent.map(\.item) == [12, 10, 11], "newest first")
        #expect(afterGap.recent[1].weight > afterGap.recent[2].weight, "the cart counts more than the older view")
        #expect(afterGap.categories == [7])
    }

    @Test("neighbour lists keep the strongest items, and old scores fade")
    func neighbourDecay() {
        var clock = DecayClock(halfLife: 1_000)
        var list = NeighbourList()
        func add(_ item: Int, _ weight: Double, at time: Int64) {
            let (factor, rebase) = clock.factor(at: time)
            if let rebase { list.rescale(by: rebase) }
            list.add(item, scaledWeight: weight * factor, capacity: 2)
        }
        add(1, 5, at: 0)
        add(2, 1, at: 0)
        add(3, 2, at: 0)
        #expect(Set(list.entries.map(\.item)) == [1, 3], "the weakest gave way")
        add(4, 2, at: 3_000)
        #expect(Set(list.entries.map(\.item)) == [1, 4], "at t=3000 item 3 is worth 0.25, item 1 0.625, the new item 4 2")
        add(1, 1, at: 3_000)
        let score = list.entries.first { $0.item == 1 }?.score
        #expect(score == 13, "1 → 5 + 1 × 2^3, in units of t=0")
    }

    @Test("the decay clock moves its epoch before the factors leave Double's range, keeping the order")
    func decayRebase() {
        var clock = DecayClock(halfLife: 1)
        var list = NeighbourList()
        list.add(1, scaledWeight: 1 * clock.factor(at: 0).factor, capacity: 4)
        list.add(2, scaledWeight: 3 * clock.factor(at: 100).factor, capacity: 4)
        let (factor, rebase) = clock.factor(at: 300)
        #expect(factor == 1 && rebase != nil)
        list.rescale(by: rebase!)
        list.add(3, scaledWeight: 1 * factor, capacity: 4)
        let scores = list.entries.map(\.score)
        #expect(scores.allSatisfy { $0.isFinite })
        let strongest = list.entries.max { $0.score < $1.score }?.item
        #expect(strongest == 3, "the newest weight outweighs 3 × 2^-200")
    }

    @Test("trending ranks each closed sliding window per category, by weight")
    func trending() {
        var model = TrendingModel(settings: Self.settings)
        #expect(model.add(item: 1, category: 0, weight: 1, ts: 100).isEmpty)
        _ = model.add(item: 2, category: 0, weight: 5, ts: 200)
        _ = model.add(item: 3, category: 1, weight: 1, ts: 300)
        let rows = model.add(item: 1, category: 0, weight: 1, ts: 1_100)
        #expect(rows == [TrendingRow(category: 0, windowStart: -9_000, windowEnd: 1_000, items: [2, 1]),
                         TrendingRow(category: 1, windowStart: -9_000, windowEnd: 1_000, items: [3])])
        #expect(model.latestOverall == [2, 1, 3])
    }

    @Test("a user is recommended the session neighbours of their items, not what they saw, filled from trending")
    func recommend() {
        var model = RecommenderModel(settings: Self.settings)
        var alice = UserProfile(), bob = UserProfile()
        let settings = Self.settings
        // Alice's session relates 1, 2 and 3 (2 before 3); then two views of 9 make it trend.
        for (item, ts) in [(1, 0), (2, 100), (3, 200)] as [(Int, Int64)] {
            _ = model.apply(alice.record(Self.event(1, item, .purchase, at: ts), settings: settings))
        }
        var carol = UserProfile()
        _ = model.apply(alice.record(Self.event(1, 9, at: 1_500), settings: settings))
        _ = model.apply(carol.record(Self.event(3, 9, at: 1_550), settings: settings))
        let outcome = model.apply(bob.record(Self.event(2, 1, at: 2_600), settings: settings))
        #expect(outcome.trending.map(\.windowEnd) == [2_000], "bob's event closed the window of panes up to [1000, 2000)")
        #expect(outcome.recommendation?.items == [3, 2, 9],
                "1's neighbours, the more recent first; bob saw 1; then trending (1, 2, 3 taken, so 9)")
    }
}
