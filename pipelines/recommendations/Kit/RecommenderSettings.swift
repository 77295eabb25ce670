/// The recommender's knobs, all in event time where they are times (milliseconds).
public struct RecommenderSettings: Sendable, Codable, Equatable {
    /// How far out of order interactions may arrive: they are replayed in event-time order once
    /// the watermark, this much behind the latest time seen, passes them.
    public var maxOutOfOrderness: Int64 = 2_000
    /// A user's interactions further apart than this start a new session: only items of one
    /// session count as related.
    public var sessionGap: Int64 = 30 * 60_000
    /// How many of a user's latest items the recommendations start from (more dilute the list
    /// with older interests: 3 scored best on generated streams).
    public var recentItems = 3
    /// How many of the session's latest items a new item is related to.
    public var sessionItems = 10
    /// How many items a user's seen-list keeps (they are never recommended to them).
    public var seenItems = 100
    /// Neighbours kept per item (the top-K of its co-occurrence scores).
    public var neighbours = 20
    /// A co-occurrence score halves every `halfLife` of event time, so old tastes fade and the
    /// neighbour lists stay bounded on an endless stream.
    public var halfLife: Int64 = 24 * 3_600_000
    /// The trending window and how often it slides.
    public var trendingWindow: Int64 = 10 * 60_000
    public var trendingSlide: Int64 = 60_000
    /// Items per trending list.
    public var trendingSize = 20
    /// Items per recommendation list.
    public var listSize = 10
    /// A user idle for this long is forgotten (profile and last list): what bounds user state.
    public var userTTL: Int64 = 7 * 24 * 3_600_000

    public init() {}
}
