/// An interaction with its item's category (from the catalog, or `unknownCategory`).
public struct EnrichedInteraction: Sendable, Hashable, Codable {
    /// The category of items missing from the catalog, or of every item without one.
    public static let unknownCategory = -1

    public var user: Int
    public var item: Int
    public var category: Int
    public var kind: InteractionKind
    public var ts: Int64

    public init(_ interaction: Interaction, category: Int) {
        user = interaction.user
        item = interaction.item
        self.category = category
        kind = interaction.kind ?? .view
        ts = interaction.ts
    }

    /// The order interactions of the same time are replayed in: any fixed order will do, as long
    /// as it does not depend on arrival (interactions equal in it are kept in arrival order).
    public static func replayOrder(_ a: EnrichedInteraction, _ b: EnrichedInteraction) -> Bool {
        (a.user, a.item, a.kind.weight) < (b.user, b.item, b.kind.weight)
    }
}
