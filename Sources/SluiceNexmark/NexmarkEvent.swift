import SluiceFormats

/// One Nexmark event: a ``Person``, an ``Auction`` or a ``Bid``.
///
/// Encodes as the payload's JSON object (which starts with its `"type"` field) and decodes
/// any such object by its `"type"` field. As a `TaggedDecodable` record, Sluice's JSON-lines
/// sources decode it in one pass, filling the payload's fields directly.
public enum NexmarkEvent: Codable, TaggedDecodable, Sendable, Equatable, Hashable {
    /// A new person.
    case person(Person)
    /// A new auction.
    case auction(Auction)
    /// A bid on an auction.
    case bid(Bid)

    /// The kind of this event.
    public var kind: Kind {
        switch self {
        case .person: .person
        case .auction: .auction
        case .bid: .bid
        }
    }

    /// The event time in epoch milliseconds.
    public var dateTime: Int64 {
        switch self {
        case .person(let p): p.dateTime
        case .auction(let a): a.dateTime
        case .bid(let b): b.dateTime
        }
    }

    /// The `type` key shared by all three payloads.
    private enum TypeKey: String, CodingKey {
        case type
    }

    /// Decodes an event, choosing the payload by the object's `"type"` field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: TypeKey.self)
        let type = try c.decode(String.self, forKey: .type)
        guard let kind = Kind(rawValue: type) else {
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c, debugDescription: "unknown Nexmark event type \"\(type)\"")
        }
        switch kind {
        case .person: self = .person(try Person(from: decoder))
        case .auction: self = .auction(try Auction(from: decoder))
        case .bid: self = .bid(try Bid(from: decoder))
        }
    }

    /// The member naming the payload: `"type"`.
    public static var tagKey: String { "type" }

    /// The event whose kind `tag` names (``init(from:)`` reports any other tag). Compares the
    /// tag directly, most frequent kind first: `Kind(rawValue:)` searches a table of names.
    public static func decode(tag: String, payload: inout TaggedPayloadDecoder) throws -> NexmarkEvent {
        switch tag {
        case "bid": .bid(try payload.decode(Bid.self))
        case "auction": .auction(try payload.decode(Auction.self))
        case "person": .person(try payload.decode(Person.self))
        default: throw payload.unknownTag()
        }
    }

    /// Encodes the payload (including its `"type"` field).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .person(let p): try p.encode(to: encoder)
        case .auction(let a): try a.encode(to: encoder)
        case .bid(let b): try b.encode(to: encoder)
        }
    }

    /// Appends the event as one JSON line in the `nexmark.md` layout, escaping strings as needed.
    public func appendJSONLine(into buffer: inout [UInt8]) {
        switch self {
        case .person(let p): p.appendJSONLine(into: &buffer)
        case .auction(let a): a.appendJSONLine(into: &buffer)
        case .bid(let b): b.appendJSONLine(into: &buffer)
        }
    }

    /// The event as one JSON line in the `nexmark.md` layout, including the final newline.
    public var jsonLine: String {
        var bytes: [UInt8] = []
        appendJSONLine(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
