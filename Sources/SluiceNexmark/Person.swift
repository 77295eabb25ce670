import SluiceFormats

/// A Nexmark `person` event: a new user registering with the auction site.
///
/// Fields and their order follow `nexmark.md`; the JSON-lines form is
/// `{"type":"person","id":…,"name":"…","emailAddress":"…","creditCard":"…","city":"…","state":"…","dateTime":…,"extra":"…"}`.
/// The `type` discriminator is not stored: ``encode(to:)`` writes it first, and decoding
/// ignores it (``NexmarkEvent`` reads it to choose the payload).
public struct Person: Codable, PlainDecodable, Sendable, Equatable, Hashable {
    /// The person id (`n / 50 + 1000` for generated event number `n`).
    public var id: Int64
    /// First and last name separated by one space.
    public var name: String
    /// E-mail address.
    public var emailAddress: String
    /// Credit-card number as four space-separated groups of four digits.
    public var creditCard: String
    /// City of residence.
    public var city: String
    /// US state code (two letters).
    public var state: String
    /// Event time in epoch milliseconds.
    public var dateTime: Int64
    /// Padding that brings the event to its configured average size.
    public var extra: String

    /// Creates a person from all of its fields, in `nexmark.md` order.
    public init(
        id: Int64, name: String, emailAddress: String, creditCard: String,
        city: String, state: String, dateTime: Int64, extra: String
    ) {
        self.id = id
        self.name = name
        self.emailAddress = emailAddress
        self.creditCard = creditCard
        self.city = city
        self.state = state
        self.dateTime = dateTime
        self.extra = extra
    }

    /// The fields' JSON keys. Decoding is synthesized from them, which makes the struct
    /// `PlainDecodable`; a `type` member, which belongs to ``NexmarkEvent``, is ignored.
    private enum CodingKeys: String, CodingKey {
        case id, name, emailAddress, creditCard, city, state, dateTime, extra
    }

    /// The keys ``encode(to:)`` writes, in order: `type`, then the fields.
    private enum EncodingKeys: String, CodingKey {
        case type, id, name, emailAddress, creditCard, city, state, dateTime, extra
    }

    /// Encodes `"type":"person"` followed by the fields in `nexmark.md` order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: EncodingKeys.self)
        try c.encode("person", forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(emailAddress, forKey: .emailAddress)
        try c.encode(creditCard, forKey: .creditCard)
        try c.encode(city, forKey: .city)
        try c.encode(state, forKey: .state)
        try c.encode(dateTime, forKey: .dateTime)
        try c.encode(extra, forKey: .extra)
    }

    /// Appends this person as one JSON line in the `nexmark.md` layout
    /// (fixed field order, no spaces, newline-terminated), escaping strings as needed.
    public func appendJSONLine(into buffer: inout [UInt8]) {
        JSONText.append(#"{"type":"person","id":"#, to: &buffer)
        JSONText.append(id, to: &buffer)
        JSONText.append(#","name":"#, to: &buffer)
        JSONText.appendQuoted(name, to: &buffer)
        JSONText.append(#","emailAddress":"#, to: &buffer)
        JSONText.appendQuoted(emailAddress, to: &buffer)
        JSONText.append(#","creditCard":"#, to: &buffer)
        JSONText.appendQuoted(creditCard, to: &buffer)
        JSONText.append(#","city":"#, to: &buffer)
        JSONText.appendQuoted(city, to: &buffer)
        JSONText.append(#","state":"#, to: &buffer)
        JSONText.appendQuoted(state, to: &buffer)
        JSONText.append(#","dateTime":"#, to: &buffer)
        JSONText.append(dateTime, to: &buffer)
        JSONText.append(#","extra":"#, to: &buffer)
        JSONText.appendQuoted(extra, to: &buffer)
        JSONText.append("}\n", to: &buffer)
    }
}
