/// What the model stage needs to know of one interaction, from the user's profile as it is
/// right after it: the pairs it creates, and what to recommend from.
public struct ProfileUpdate: Sendable, Hashable, Codable {
    public var user: Int
    public var item: Int
    public var category: Int
    public var kind: InteractionKind
    public var ts: Int64
    /// The session's earlier items (distinct, without `item`): each is now related to `item`.
    public var sessionItems: [Int]
    /// The user's latest distinct items, newest first, with weights for recency and kind.
    public var recent: [WeightedItem]
    /// Items the user has interacted with, in increasing order: never recommended to them.
    public var seen: [Int]
    /// The user's favourite categories, most interacted first.
    public var categories: [Int]

    /// The order updates of the same time are applied in: by user (a user's updates come from
    /// one profile instance, in its order, which the buffer keeps for ties).
    public static func replayOrder(_ a: ProfileUpdate, _ b: ProfileUpdate) -> Bool {
        a.user < b.user
    }
}

/// An item with a weight.
public struct WeightedItem: Sendable, Hashable, Codable {
    public var item: Int
    public var weight: Double

    public init(item: Int, weight: Double) {
        self.item = item
        self.weight = weight
    }
}
