import Sluice
import SluiceNexmark

extension DataStream where Record == NexmarkEvent {
    /// The bids among the events (a fused `compactMap`: no exchange, same instances).
    @inlinable
    public func bids() -> DataStream<Bid> {
        compactMap { event in
            if case .bid(let bid) = event { return bid }
            return nil
        }
    }

    /// The auctions among the events.
    @inlinable
    public func auctions() -> DataStream<Auction> {
        compactMap { event in
            if case .auction(let auction) = event { return auction }
            return nil
        }
    }

    /// The people among the events.
    @inlinable
    public func persons() -> DataStream<Person> {
        compactMap { event in
            if case .person(let person) = event { return person }
            return nil
        }
    }
}
