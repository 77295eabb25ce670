/// The shared half of the recommender: item-to-item co-occurrence and trending, updated by
/// every interaction in event-time order, and the scoring of a user's list from them.
public struct RecommenderModel: Sendable, Codable {
    public let settings: RecommenderSettings
    /// Each item's related items.
    public private(set) var neighbours: [Int: NeighbourList] = [:]
    public private(set) var trending: TrendingModel
    var decay: DecayClock
    /// Candidate scores of the current list: kept between calls only to reuse their storage.
    private var candidates = CandidateScores()

    private enum CodingKeys: String, CodingKey { case settings, neighbours, trending, decay }

    public init(settings: RecommenderSettings) {
        self.settings = settings
        trending = TrendingModel(settings: settings)
        decay = DecayClock(halfLife: settings.halfLife)
    }

    /// What one interaction produces: the user's new list, and the trending windows it closed.
    public struct Outcome: Sendable {
        public var recommendation: Recommendation?
        public var trending: [TrendingRow]
    }

    /// Learns from `update`, then recommends to its user.
    public mutating func apply(_ update: ProfileUpdate) -> Outcome {
        let weight = update.kind.weight
        if !update.sessionItems.isEmpty {
            let (factor, rebase) = decay.factor(at: update.ts)
            if let rebase {
                for item in Array(neighbours.keys) { neighbours[item]!.rescale(by: rebase) }
            }
            for other in update.sessionItems {
                neighbours[update.item, default: NeighbourList()].add(other, scaledWeight: weight * factor, capacity: settings.neighbours)
                neighbours[other, default: NeighbourList()].add(update.item, scaledWeight: weight * factor, capacity: settings.neighbours)
            }
        }
        let closed = trending.add(item: update.item, category: update.category, weight: weight, ts: update.ts)
        let items = recommend(update)
        return Outcome(recommendation: items.isEmpty ? nil : Recommendation(user: update.user, ts: update.ts, items: items),
                       trending: closed)
    }

    /// The neighbours of the user's recent items, each list normalised to its strongest score
    /// and weighted by the recent item's weight; then trending items of the user's categories,
    /// then trending overall, to fill up. Items the user has seen are left out.
    mutating func recommend(_ update: ProfileUpdate) -> [Int] {
        candidates.removeAll()
        for source in update.recent {
            guard let list = neighbours[source.item] else { continue }
            let strongest = list.strongest
            guard strongest > 0 else { continue }
            for entry in list.entries where !update.seen.sortedContains(entry.item) {
                candidates.add(entry.item, source.weight * entry.score / strongest)
            }
        }
        var chosen = candidates.best(settings.listSize)
        guard chosen.count < settings.listSize else { return chosen }
        let fillers = update.categories.compactMap { trending.latest[$0] } + [trending.latestOverall]
        for list in fillers {
            for item in list where !update.seen.sortedContains(item) && !chosen.contains(item) {
                chosen.append(item)
                if chosen.count == settings.listSize { return chosen }
            }
        }
        return chosen
    }
}
