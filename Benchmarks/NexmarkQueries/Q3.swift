import Sluice
import SluiceNexmark

/// Nexmark q3, local item suggestion: every auction of category 10 with its seller, when the
/// seller lives in Oregon, Idaho or California.
///
/// ```swift
/// Q3.build(events)     // DataStream<LocalItemSuggestion>
/// ```
/// A regular (unwindowed) join of auctions keyed by `seller` with people keyed by `id`: a pair is
/// emitted as soon as both sides have arrived, in either order. Both sides are filtered and cut
/// down to the fields the result needs before the join, because a regular join keeps every row
/// it has seen: its state grows with the input, as in every engine's q3. A person's id is unique
/// (`uniqueKeys: .right`), so an auction whose seller has arrived is not kept (no other seller
/// of that id can come): the state holds the selected people and the auctions still waiting for
/// theirs (those whose seller lives elsewhere wait for ever).
public enum Q3 {
    /// The states whose sellers are selected.
    public static let states: Set<String> = ["OR", "ID", "CA"]
    /// The category whose auctions are selected.
    public static let category: Int64 = 10

    /// The part of an auction the join keeps.
    public struct SellerAuction: Codable, Sendable, Hashable {
        public var id: Int64
        public var seller: Int64
    }

    /// The part of a person the join keeps.
    public struct LocalSeller: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
        public var city: String
        public var state: String
    }

    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<LocalItemSuggestion> {
        let auctions = events.compactMap { event -> SellerAuction? in
            guard case .auction(let auction) = event, auction.category == category else { return nil }
            return SellerAuction(id: auction.id, seller: auction.seller)
        }
        let sellers = events.compactMap { event -> LocalSeller? in
            guard case .person(let person) = event, states.contains(person.state) else { return nil }
            return LocalSeller(id: person.id, name: person.name, city: person.city, state: person.state)
        }
        return auctions.keyed(by: \.seller)
            .join(sellers.keyed(by: \.id), uniqueKeys: .right, id: "q3-auctions-with-local-sellers") { auction, seller in
                LocalItemSuggestion(name: seller.name, city: seller.city, state: seller.state, id: auction.id)
            }
    }
}
