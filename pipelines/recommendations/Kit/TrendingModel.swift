/// The most interacted items per category in a sliding event-time window, kept as panes of one
/// slide each, so that an interaction costs one update whatever the window's length.
///
/// Windows close in the order interactions arrive: when one arrives in a later pane, every window
/// that ended since is ranked, remembered for the fill-up of recommendations, and returned.
public struct TrendingModel: Sendable, Codable, Equatable {
    public let slide: Int64
    public let panesPerWindow: Int64
    public let size: Int
    /// The latest pane an interaction fell in.
    public private(set) var currentPane: Int64?
    /// Weight per item per category, per pane still inside a window.
    var panes: [Int64: [Int: [Int: Double]]] = [:]
    /// The ranking of the latest closed window, per category and over all categories.
    public private(set) var latest: [Int: [Int]] = [:]
    public private(set) var latestOverall: [Int] = []
    /// Interactions older than every open window: they can no longer change a ranking.
    public private(set) var tooLate = 0

    public init(settings: RecommenderSettings) {
        slide = settings.trendingSlide
        panesPerWindow = Swift.max(1, settings.trendingWindow / settings.trendingSlide)
        size = settings.trendingSize
    }

    /// Counts `weight` for `item` at `ts`; returns the rows of the windows this closes.
    public mutating func add(item: Int, category: Int, weight: Double, ts: Int64) -> [TrendingRow] {
        let pane = Self.floorDiv(ts, slide)
        var closed: [TrendingRow] = []
        if let current = currentPane, pane > current {
            // Windows ending after `current` and before `pane`'s, that still hold data.
            for last in current..<Swift.min(pane, current + panesPerWindow) {
                closed += rank(windowEndingWith: last)
            }
            panes = panes.filter { $0.key > pane - panesPerWindow }
        }
        if currentPane == nil || pane > currentPane! { currentPane = pane }
        guard pane > currentPane! - panesPerWindow else {
            tooLate += 1
            return closed
        }
        panes[pane, default: [:]][category, default: [:]][item, default: 0] += weight
        return closed
    }

    /// Ranks the window of the panes up to `last`, keeps it as the latest, returns its rows.
    mutating func rank(windowEndingWith last: Int64) -> [TrendingRow] {
        let first = last - panesPerWindow + 1
        var totals: [Int: [Int: Double]] = [:]
        var overall: [Int: Double] = [:]
        for pane in first...last {
            guard let categories = panes[pane] else { continue }
            for (category, items) in categories {
                for (item, weight) in items {
                    totals[category, default: [:]][item, default: 0] += weight
                    overall[item, default: 0] += weight
                }
            }
        }
        guard !totals.isEmpty else { return [] }
        let (start, end) = (first * slide, (last + 1) * slide)
        latest = totals.mapValues { Self.top($0, size) }
        latestOverall = Self.top(overall, size)
        return latest.keys.sorted().map { TrendingRow(category: $0, windowStart: start, windowEnd: end, items: latest[$0]!) }
    }

    /// The `count` heaviest items, heaviest first; ties go to the smaller id.
    static func top(_ weights: [Int: Double], _ count: Int) -> [Int] {
        topItems(weights.lazy.map { (item: $0.key, score: $0.value) }, count: count)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
