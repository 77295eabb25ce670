import Sluice
import SluiceNexmark

// The result rows of the Nexmark queries: exactly the fields `nexmark.md` names, in its order.
// Flat structs with synthesized `Codable` are `PlainEncodable`, so the JSON-lines sink writes
// their stored fields directly. q0's row is the `Bid` itself.

/// q1: a bid with its price converted to euros (`price * 0.908`); the other fields unchanged.
public struct ConvertedBid: Codable, Sendable, Hashable, PlainEncodable {
    public var auction: Int64
    public var bidder: Int64
    public var price: Double
    public var channel: String
    public var url: String
    public var dateTime: Int64
    public var extra: String

    public init(auction: Int64, bidder: Int64, price: Double, channel: String, url: String, dateTime: Int64, extra: String) {
        self.auction = auction
        self.bidder = bidder
        self.price = price
        self.channel = channel
        self.url = url
        self.dateTime = dateTime
        self.extra = extra
    }
}

/// q2: the auction and price of a selected bid.
public struct AuctionPrice: Codable, Sendable, Hashable, PlainEncodable {
    public var auction: Int64
    public var price: Int64

    public init(auction: Int64, price: Int64) {
        self.auction = auction
        self.price = price
    }
}

/// q3: a seller in OR, ID or CA and one of their category-10 auctions (`id`).
public struct LocalItemSuggestion: Codable, Sendable, Hashable, PlainEncodable {
    public var name: String
    public var city: String
    public var state: String
    public var id: Int64

    public init(name: String, city: String, state: String, id: Int64) {
        self.name = name
        self.city = city
        self.state = state
        self.id = id
    }
}

/// q4: the running average winning price of a category.
public struct CategoryAveragePrice: Codable, Sendable, Hashable, PlainEncodable {
    public var category: Int64
    public var avgPrice: Double

    public init(category: Int64, avgPrice: Double) {
        self.category = category
        self.avgPrice = avgPrice
    }
}

/// q5: an auction with the most bids of a sliding window.
public struct HotItem: Codable, Sendable, Hashable, PlainEncodable {
    public var windowStart: Int64
    public var auction: Int64
    public var count: Int

    public init(windowStart: Int64, auction: Int64, count: Int) {
        self.windowStart = windowStart
        self.auction = auction
        self.count = count
    }
}

/// q7: a bid with the highest price of its tumbling window.
public struct HighestBid: Codable, Sendable, Hashable, PlainEncodable {
    public var windowStart: Int64
    public var auction: Int64
    public var bidder: Int64
    public var price: Int64
    public var dateTime: Int64

    public init(windowStart: Int64, auction: Int64, bidder: Int64, price: Int64, dateTime: Int64) {
        self.windowStart = windowStart
        self.auction = auction
        self.bidder = bidder
        self.price = price
        self.dateTime = dateTime
    }
}

/// q8: a person who opened an auction in the window they registered in.
public struct NewUser: Codable, Sendable, Hashable, PlainEncodable {
    public var windowStart: Int64
    public var id: Int64
    public var name: String

    public init(windowStart: Int64, id: Int64, name: String) {
        self.windowStart = windowStart
        self.id = id
        self.name = name
    }
}

/// q11 (session windows of event time) and q12 (tumbling windows of processing time): the bids
/// of a bidder in one window.
public struct BidderWindowCount: Codable, Sendable, Hashable, PlainEncodable {
    public var bidder: Int64
    public var count: Int
    public var windowStart: Int64
    public var windowEnd: Int64

    public init(bidder: Int64, count: Int, windowStart: Int64, windowEnd: Int64) {
        self.bidder = bidder
        self.count = count
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
