import Sluice

/// One user interaction of the click stream: `{"user":U,"item":I,"type":"view","ts":T}`.
/// Unknown extra fields are ignored.
public struct Interaction: Codable, PlainDecodable, PlainEncodable, Sendable, Hashable {
    public var user: Int
    public var item: Int
    /// `view`, `cart` or `purchase`.
    public var type: String
    /// Event time, epoch milliseconds.
    public var ts: Int64

    public init(user: Int, item: Int, type: InteractionKind, ts: Int64) {
        self.user = user
        self.item = item
        self.type = type.rawValue
        self.ts = ts
    }

    /// The kind of interaction, or nil for a type this pipeline does not know.
    public var kind: InteractionKind? { InteractionKind(rawValue: type) }
}

/// What a user did with an item: buying says more about taste than looking.
public enum InteractionKind: String, Codable, Sendable, CaseIterable {
    case view, cart, purchase

    /// How much the interaction counts, in trending and co-occurrence scores.
    public var weight: Double {
        switch self {
        case .view: 1
        case .cart: 3
        case .purchase: 5
        }
    }
}

/// A row of the optional item catalog: `{"item":I,"category":C}`.
public struct CatalogEntry: Codable, PlainDecodable, PlainEncodable, Sendable, Hashable {
    public var item: Int
    public var category: Int

    public init(item: Int, category: Int) {
        self.item = item
        self.category = category
    }
}

/// A line of the output: a user's ten recommended items after the interaction at `ts`.
public struct Recommendation: Codable, Sendable, Hashable {
    public var user: Int
    public var ts: Int64
    public var items: [Int]

    public init(user: Int, ts: Int64, items: [Int]) {
        self.user = user
        self.ts = ts
        self.items = items
    }
}
