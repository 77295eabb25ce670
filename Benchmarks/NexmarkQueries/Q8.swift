import Sluice
import SluiceNexmark

/// Nexmark q8, monitor new users: per tumbling 10 s window, the people created in it who are the
/// seller of an auction created in the same window; one row per person and window.
///
/// ```swift
/// Q8.build(events)     // DataStream<NewUser>
/// ```
/// Auctions are first reduced to their distinct sellers per window (keyed by seller, a `Count`
/// per 10 s window: one result per seller and window, stamped with the window's last
/// millisecond, so it stays in its window). A window join then pairs people (keyed by `id`, cut
/// down to id and name) with those sellers: a person is created once, so each pair is one person
/// in one window — the de-duplication happens before the join, which also keeps the join's state
/// small (one row per active seller instead of every auction, 3/4 of which have the hot seller).
/// The join emits a window's pairs and frees it when the watermark passes the window.
public enum Q8 {
    /// The length of a window.
    public static let windowMilliseconds: Int64 = 10_000

    /// What q8 needs of a person.
    public struct NamedPerson: Codable, Sendable, Hashable {
        public var id: Int64
        public var name: String
    }

    public static func build(_ events: DataStream<NexmarkEvent>) -> DataStream<NewUser> {
        let window = WindowAssigner.tumbling(.milliseconds(windowMilliseconds))
        let sellers = events.compactMap { event -> Int64? in
            if case .auction(let auction) = event { return auction.seller }
            return nil
        }
            .keyed { $0 }
            .window(window)
            .aggregate(Count<Int64>(), id: "q8-sellers-per-window")
        let persons = events.compactMap { event -> NamedPerson? in
            if case .person(let person) = event { return NamedPerson(id: person.id, name: person.name) }
            return nil
        }
        return persons.keyed(by: \.id)
            .windowJoin(sellers.keyed(by: \.key), window: window, id: "q8-new-sellers") { person, _, window in
                NewUser(windowStart: window.start, id: person.id, name: person.name)
            }
    }
}
