import Foundation
import Testing
import RecommendationsKit

@Suite("Interaction generator")
struct GeneratorTests {
    static let generator = InteractionGenerator(users: 300, items: 1_000, seed: 7)
    static let events = generator.interactions(count: 20_000)

    /// A user's events in file order, which is also their event-time order.
    static let byUser: [Int: [Interaction]] = Dictionary(grouping: events, by: \.user)

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("generator-\(UUID().uuidString)-\(name)").path
    }

    @Test func sameSeedSameStreamOtherSeedOtherStream() {
        let again = InteractionGenerator(users: 300, items: 1_000, seed: 7).interactions(count: 20_000)
        #expect(again == Self.events)
        let other = InteractionGenerator(users: 300, items: 1_000, seed: 8).interactions(count: 20_000)
        #expect(other != Self.events)
        let otherCatalog = InteractionGenerator(users: 300, items: 1_000, seed: 8).catalog()
        #expect(otherCatalog != Self.generator.catalog())
    }

    @Test func shorterStreamIsPrefixOfLongerOne() {
        #expect(Self.generator.interactions(count: 1_234) == Array(Self.events.prefix(1_234)))
        #expect(Self.generator.interactions(count: 0).isEmpty)
    }

    @Test func writtenFilesParseAndMatchTheArrays() throws {
        let eventsPath = temporaryPath("events.jsonl")
        let catalogPath = temporaryPath("catalog.jsonl")
        defer {
            try? FileManager.default.removeItem(atPath: eventsPath)
            try? FileManager.default.removeItem(atPath: catalogPath)
        }
        try Self.generator.write(events: Self.events.count, to: eventsPath, catalogPath: catalogPath)

        let lines = try String(contentsOfFile: eventsPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == Self.events.count)
        let decoder = JSONDecoder()
        let parsed = try lines.map { try decoder.decode(Interaction.self, from: Data($0.utf8)) }
        #expect(parsed == Self.events)
        #expect(try HitRateEvaluator.readInteractions(path: eventsPath) == Self.events)

        let catalogLines = try String(contentsOfFile: catalogPath, encoding: .utf8).split(separator: "\n")
        let catalog = try catalogLines.map { try decoder.decode(CatalogEntry.self, from: Data($0.utf8)) }
        #expect(catalog == Self.generator.catalog())
    }

    @Test func idsAndKindsAreInRange() {
        for event in Self.events {
            #expect((1...300).contains(event.user))
            #expect((1...1_000).contains(event.item))
            #expect(event.kind != nil)
            #expect(event.ts >= InteractionGenerator.epoch)
        }
        // Most users show up in a stream of this length.
        #expect(Self.byUser.count > 250)
    }

    @Test func categoriesCoverEveryItem() {
        #expect(Self.generator.categories == 10)
        let catalog = Self.generator.catalog()
        #expect(catalog.map(\.item) == Array(1...1_000))
        for entry in catalog {
            #expect((1...10).contains(entry.category))
            #expect(Self.generator.category(ofItem: entry.item) == entry.category)
        }
        #expect(Set(catalog.map(\.category)).count == 10)
        // Small catalogs still get four categories, and tiny ones one per item.
        #expect(InteractionGenerator(users: 1, items: 50, seed: 1).categories == 4)
        #expect(InteractionGenerator(users: 1, items: 3, seed: 1).categories == 3)
    }

    @Test func affinityGroupsHaveFiveToTenItemsOfOneCategory() {
        let groups = Dictionary(grouping: 1...1_000, by: { Self.generator.affinityGroup(ofItem: $0) })
        for members in groups.values {
            #expect((5...10).contains(members.count))
            #expect(Set(members.map { Self.generator.category(ofItem: $0) }).count == 1)
        }
    }

    @Test func eventsAreNeverTwoSecondsBehind() {
        var latest = InteractionGenerator.epoch
        var late = 0
        for event in Self.events {
            #expect(event.ts > latest - 2_000)
            if event.ts < latest { late += 1 }
            latest = max(latest, event.ts)
        }
        // There is jitter to cope with, but not much.
        #expect(late > Self.events.count / 100)
        #expect(late < Self.events.count / 2)
    }

    @Test func usersBrowseInSessions() {
        var sessionBreaks = 0
        for events in Self.byUser.values {
            for (previous, next) in zip(events, events.dropFirst()) {
                let gap = next.ts - previous.ts
                let withinSession = (2_000...30_000).contains(gap)
                let betweenSessions = gap > 30 * 60_000
                #expect(withinSession || betweenSessions, "gap of \(gap) ms")
                if betweenSessions { sessionBreaks += 1 }
            }
        }
        // Users come back: about one session in eight events.
        #expect(sessionBreaks > Self.events.count / 20)
        #expect(sessionBreaks < Self.events.count / 4)
    }

    @Test func cartsFollowViewsAndPurchasesFollowCarts() {
        var views = 0
        var carts = 0
        var purchases = 0
        for events in Self.byUser.values {
            var viewed: Set<Int> = []
            var carted: Set<Int> = []
            for event in events {
                switch event.kind {
                case .view:
                    viewed.insert(event.item)
                    views += 1
                case .cart:
                    #expect(viewed.contains(event.item), "cart of \(event.item) by \(event.user) before a view")
                    carted.insert(event.item)
                    carts += 1
                case .purchase:
                    #expect(carted.contains(event.item), "purchase of \(event.item) by \(event.user) before a cart")
                    purchases += 1
                case nil:
                    Issue.record("unknown type \(event.type)")
                }
            }
        }
        let cartRate = Double(carts) / Double(views)
        let purchaseRate = Double(purchases) / Double(carts)
        #expect((0.15...0.3).contains(cartRate))
        #expect((0.28...0.42).contains(purchaseRate))
    }

    @Test func sessionsKeepToOneCategoryAndReturnToFavourites() {
        var sessionViews: [[Int]] = []
        for events in Self.byUser.values {
            var current: [Int] = []
            var last = InteractionGenerator.epoch
            for event in events where event.kind == .view {
                if event.ts - last > 30 * 60_000, !current.isEmpty {
                    sessionViews.append(current)
                    current = []
                }
                current.append(event.item)
                last = event.ts
            }
            if !current.isEmpty { sessionViews.append(current) }
        }
        var inMainCategory = 0
        var inMainGroup = 0
        var total = 0
        for views in sessionViews {
            let categories = Dictionary(grouping: views, by: { Self.generator.category(ofItem: $0) })
            let groups = Dictionary(grouping: views, by: { Self.generator.affinityGroup(ofItem: $0) })
            inMainCategory += categories.values.map(\.count).max()!
            inMainGroup += groups.values.map(\.count).max()!
            total += views.count
        }
        #expect(Double(inMainCategory) / Double(total) > 0.8)
        #expect(Double(inMainGroup) / Double(total) > 0.6)

        // A user's views concentrate on a few categories out of ten.
        var inTopThree = 0
        var views = 0
        for events in Self.byUser.values {
            let counts = Dictionary(grouping: events.filter { $0.kind == .view }, by: { Self.generator.category(ofItem: $0.item) })
                .values.map(\.count).sorted(by: >)
            inTopThree += counts.prefix(3).reduce(0, +)
            views += counts.reduce(0, +)
        }
        #expect(Double(inTopThree) / Double(views) > 0.8)
    }

    @Test func popularityIsSkewedWithinCategories() {
        var views: [Int: Int] = [:]
        for event in Self.events where event.kind == .view { views[event.item, default: 0] += 1 }
        let counts = (1...1_000).map { views[$0, default: 0] }.sorted(by: >)
        // Zipf: the top tenth of items gets far more than a tenth of the views.
        let top = counts.prefix(100).reduce(0, +)
        #expect(Double(top) / Double(counts.reduce(0, +)) > 0.35)
    }
}
