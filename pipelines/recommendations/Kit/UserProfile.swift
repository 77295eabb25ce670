/// One user's state in the profile stage: their current session, latest items, what they have
/// seen, and their categories. Everything is capped, so a profile has a fixed maximum size.
public struct UserProfile: Sendable, Codable, Equatable {
    /// Latest distinct items, oldest first, with the strongest kind seen for each.
    public var recent: [RecentItem] = []
    /// Distinct items of the current session, oldest first.
    public var session: [Int] = []
    /// Items interacted with, oldest first (the first to go when there are too many).
    public var seen: [Int] = []
    /// The same items in increasing order, for lookups.
    public var seenSorted: [Int] = []
    /// Interaction weight per category, for the user's favourites.
    public var categories: [CategoryWeight] = []
    /// The time of the latest interaction (the largest, as input may be out of order).
    public var lastTs: Int64 = .min

    public init() {}

    /// How much the user interacted with a category.
    public struct CategoryWeight: Sendable, Codable, Equatable {
        public var category: Int
        public var weight: Double
    }

    /// An item of `recent`.
    public struct RecentItem: Sendable, Codable, Equatable {
        public var item: Int
        public var kind: InteractionKind
    }

    /// Takes `event` in and returns what the model stage needs.
    public mutating func record(_ event: EnrichedInteraction, settings: RecommenderSettings) -> ProfileUpdate {
        if lastTs != .min, event.ts - lastTs > settings.sessionGap { session.removeAll() }
        lastTs = Swift.max(lastTs, event.ts)
        let related = session.filter { $0 != event.item }
        if !session.contains(event.item) {
            session.append(event.item)
            if session.count > settings.sessionItems { session.removeFirst() }
        }
        let kind = recent.first { $0.item == event.item }.map { Swift.max($0.kind, event.kind) } ?? event.kind
        recent.removeAll { $0.item == event.item }
        recent.append(RecentItem(item: event.item, kind: kind))
        if recent.count > settings.recentItems { recent.removeFirst() }
        let position = seenSorted.partitionPoint { $0 >= event.item }
        if position == seenSorted.count || seenSorted[position] != event.item {
            seenSorted.insert(event.item, at: position)
            seen.append(event.item)
            if seen.count > settings.seenItems {
                let forgotten = seen.removeFirst()
                seenSorted.remove(at: seenSorted.partitionPoint { $0 >= forgotten })
            }
        }
        if event.category != EnrichedInteraction.unknownCategory {
            if let index = categories.firstIndex(where: { $0.category == event.category }) {
                categories[index].weight += event.kind.weight
            } else {
                categories.append(CategoryWeight(category: event.category, weight: event.kind.weight))
            }
        }
        // Newest first; each step back in time counts for less.
        var weighted: [WeightedItem] = []
        weighted.reserveCapacity(recent.count)
        var recency = 1.0
        for entry in recent.reversed() {
            weighted.append(WeightedItem(item: entry.item, weight: recency * entry.kind.weight.squareRoot()))
            recency *= 0.7
        }
        let favourites = categories.sorted { ($0.weight, -$0.category) > ($1.weight, -$1.category) }.prefix(3).map(\.category)
        return ProfileUpdate(user: event.user, item: event.item, category: event.category, kind: event.kind, ts: event.ts,
                             sessionItems: related, recent: weighted, seen: seenSorted, categories: favourites)
    }
}

extension InteractionKind: Comparable {
    public static func < (a: InteractionKind, b: InteractionKind) -> Bool { a.weight < b.weight }
}

