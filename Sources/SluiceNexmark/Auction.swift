import SluiceFormats

/// A Nexmark `auction` event: a seller opening an auction for an item.
///
/// Fields and their order follow `nexmark.md`; the JSON-lines form is
/// `{"type":"auction","id":…,"itemName":"…","description":"…","initialBid":…,"reserve":…,"dateTime":…,"expires":…,"seller":…,"category":…,"extra":"…"}`.
/// The `type` discriminator is not stored: ``encode(to:)`` writes it first, and decoding
/// ignores it (``NexmarkEvent`` reads it to choose the payload).
public struct Auction: Codable, PlainDecodable, Sendable, Equatable, Hashable {
    /// The auction id (`(n / 50) * 3 + (n % 50 - 1) + 1000` for generated event number `n`).
    public var id: Int64
    /// Name of the item on sale.
    public var itemName: String
    /// Description of the item.
    public var description: String
    /// Starting price in cents.
    public var initialBid: Int64
    /// Reserve price in cents (at least `initialBid`).
    public var reserve: Int64
    /// Event time (auction opening) in epoch milliseconds.
    public var dateTime: Int64
    /// Closing time in epoch milliseconds, always after `dateTime`.
    public var expires: Int64
    /// Id of the selling person.
    public var seller: Int64
    /// Category id, `10..<15` for generated events.
    public var category: Int64
    /// Padding that brings the event to its configured average size.
    public var extra: String

    /// Creates an auction from all of its fields, in `nexmark.md` order.
    public init(
        id: Int64, itemName: String, description: String, initialBid: Int64, reserve: Int64,
        dateTime: Int64, expires: Int64, seller: Int64, category: Int64, extra: String
    ) {
        self.id = id
        self.itemName = itemName
        self.description = description
        self.initialBid = initialBid
        self.reserve = reserve
        self.dateTime = dateTime
        self.expires = expires
        self.seller = seller
        self.category = category
        self.extra = extra
    }

    /// The fields' JSON keys. Decoding is synthesized from them, which makes the struct
    /// `PlainDecodable`; a `type` member, which belongs to ``NexmarkEvent``, is ignored.
    private enum CodingKeys: String, CodingKey {
        case id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra
    }

    /// The keys ``encode(to:)`` writes, in order: `type`, then the fields.
    private enum EncodingKeys: String, CodingKey {
        case type, id, itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra
    }

    /// Encodes `"type":"auction"` followed by the fields in `nexmark.md` order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: EncodingKeys.self)
        try c.encode("auction", forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(itemName, forKey: .itemName)
        try c.encode(description, forKey: .description)
        try c.encode(initialBid, forKey: .initialBid)
        try c.encode(reserve, forKey: .reserve)
        try c.encode(dateTime, forKey: .dateTime)
        try c.encode(expires, forKey: .expires)
        try c.encode(seller, forKey: .seller)
        try c.encode(category, forKey: .category)
        try c.encode(extra, forKey: .extra)
    }

    /// Appends this auction as one JSON line in the `nexmark.md` layout
    /// (fixed field order, no spaces, newline-terminated), escaping strings as needed.
    public func appendJSONLine(into buffer: inout [UInt8]) {
        JSONText.append(#"{"type":"auction","id":"#, to: &buffer)
        JSONText.append(id, to: &buffer)
        JSONText.append(#","itemName":"#, to: &buffer)
        JSONText.appendQuoted(itemName, to: &buffer)
        JSONText.append(#","description":"#, to: &buffer)
        JSONText.appendQuoted(description, to: &buffer)
        JSONText.append(#","initialBid":"#, to: &buffer)
        JSONText.append(initialBid, to: &buffer)
        JSONText.append(#","reserve":"#, to: &buffer)
        JSONText.append(reserve, to: &buffer)
        JSONText.append(#","dateTime":"#, to: &buffer)
        JSONText.append(dateTime, to: &buffer)
        JSONText.append(#","expires":"#, to: &buffer)
        JSONText.append(expires, to: &buffer)
        JSONText.append(#","seller":"#, to: &buffer)
        JSONText.append(seller, to: &buffer)
        JSONText.append(#","category":"#, to: &buffer)
        JSONText.append(category, to: &buffer)
        JSONText.append(#","extra":"#, to: &buffer)
        JSONText.appendQuoted(extra, to: &buffer)
        JSONText.append("}\n", to: &buffer)
    }
}
