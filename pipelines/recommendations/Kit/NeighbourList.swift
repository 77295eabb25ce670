/// An item's related items with co-occurrence scores that halve every half-life: at most
/// `capacity` of them, the weakest giving way to a new one.
///
/// Scores are kept scaled by `2^(t / halfLife)` at the time `t` they were added (see
/// `DecayClock`): all of an item's scores decay at the same rate, so their order never changes
/// as time passes, and ranking them needs no exponentials.
public struct NeighbourList: Sendable, Codable, Equatable {
    /// A related item and its scaled score.
    public struct Entry: Sendable, Codable, Equatable {
        public var item: Int
        public var score: Double
    }

    public var entries: [Entry] = []

    public init() {}

    /// Adds `scaledWeight` (a weight scaled to the current time) to `item`'s score.
    public mutating func add(_ item: Int, scaledWeight: Double, capacity: Int) {
        if let index = entries.firstIndex(where: { $0.item == item }) {
            entries[index].score += scaledWeight
            return
        }
        guard entries.count >= capacity else {
            entries.append(Entry(item: item, score: scaledWeight))
            return
        }
        // The weakest entry (ties: the larger item id, so that the choice is deterministic).
        var weakest = 0
        for index in entries.indices.dropFirst() {
            let candidate = entries[index], current = entries[weakest]
            if candidate.score < current.score || (candidate.score == current.score && candidate.item > current.item) {
                weakest = index
            }
        }
        if scaledWeight > entries[weakest].score { entries[weakest] = Entry(item: item, score: scaledWeight) }
    }

    /// The strongest scaled score, 0 when empty.
    public var strongest: Double {
        entries.reduce(0) { Swift.max($0, $1.score) }
    }

    /// Multiplies every score by `factor` (when the decay clock moves its epoch).
    public mutating func rescale(by factor: Double) {
        for index in entries.indices { entries[index].score *= factor }
    }
}
