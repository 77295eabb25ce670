import SluiceFormats

/// A Nexmark `bid` event: a person bidding on an auction.
///
/// Fields and their order follow `nexmark.md`; the JSON-lines form is
/// `{"type":"bid","auction":…,"bidder":…,"price":…,"channel":"…","url":"…","dateTime":…,"extra":"…"}`.
/// The `type` discriminator is not stored: ``encode(to:)`` writes it first, and decoding
/// ignores it (``NexmarkEvent`` reads it to choose the payload).
public struct Bid: Codable, PlainDecodable, Sendable, Equatable, Hashable {
    /// Id of the auction bid on.
    public var auction: Int64
    /// Id of the bidding person.
    public var bidder: Int64
    /// Bid price in cents, `100...100_000_000` for generated events.
    public var price: Int64
    /// Channel the bid came through (`Google`, `Facebook`, `Baidu`, `Apple` or `channel-K`).
    public var channel: String
    /// URL of the bid's channel.
    public var url: String
    /// Event time in epoch milliseconds.
    public var dateTime: Int64
    /// Padding that brings the event to its configured average size.
    public var extra: String

    /// Creates a bid from all of its fields, in `nexmark.md` order.
    public init(
        auction: Int64, bidder: Int64, price: Int64, channel: String, url: String,
        dateTime: Int64, extra: String
    ) {
        self.auction = auction
        self.bidder = bidder
        self.price = price
        self.channel = channel
        self.url = url
        self.dateTime = dateTime
        self.extra = extra
    }

    /// The fields' JSON keys. Decoding is synthesized from them, which makes the struct
    /// `PlainDecodable`; a `type` member, which belongs to ``NexmarkEvent``, is ignored.
    private enum CodingKeys: String, CodingKey {
        case auction, bidder, price, channel, url, dateTime, extra
    }

    /// The keys ``encode(to:)`` writes, in order: `type`, then the fields.
    private enum EncodingKeys: String, CodingKey {
        case type, auction, bidder, price, channel, url, dateTime, extra
    }

    /// Encodes `"type":"bid"` followed by the fields in `nexmark.md` order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: EncodingKeys.self)
        try c.encode("bid", forKey: .type)
        try c.encode(auction, forKey: .auction)
        try c.encode(bidder, forKey: .bidder)
        try c.encode(price, forKey: .price)
        try c.encode(channel, forKey: .channel)
        try c.encode(url, forKey: .url)
        try c.encode(dateTime, forKey: .dateTime)
        try c.encode(extra, forKey: .extra)
    }

    /// Appends this bid as one JSON line in the `nexmark.md` layout
    /// (fixed field order, no spaces, newline-terminated), escaping strings as needed.
    public func appendJSONLine(into buffer: inout [UInt8]) {
        JSONText.append(#"{"type":"bid","auction":"#, to: &buffer)
        JSONText.append(auction, to: &buffer)
        JSONText.append(#","bidder":"#, to: &buffer)
        JSONText.append(bidder, to: &buffer)
        JSONText.append(#","price":"#, to: &buffer)
        JSONText.append(price, to: &buffer)
        JSONText.append(#","channel":"#, to: &buffer)
        JSONText.appendQuoted(channel, to: &buffer)
        JSONText.append(#","url":"#, to: &buffer)
        JSONText.appendQuoted(url, to: &buffer)
        JSONText.append(#","dateTime":"#, to: &buffer)
        JSONText.append(dateTime, to: &buffer)
        JSONText.append(#","extra":"#, to: &buffer)
        JSONText.appendQuoted(extra, to: &buffer)
        JSONText.append("}\n", to: &buffer)
    }
}
