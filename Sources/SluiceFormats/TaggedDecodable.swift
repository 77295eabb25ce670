/// A record that is one of several record types, told apart by a string member that names the
/// type ("internally tagged", as serde calls it): `{"type":"bid","auction":7,…}`.
///
/// The type keeps its own `init(from:)`, which Foundation and every other decoder use. This
/// conformance lets `JSONRecordDecoder` decode a line in one pass instead: it reads the tag from
/// the scanned line and decodes the payload from the same scan, filling a `PlainDecodable`
/// payload's properties directly.
///
/// ```swift
/// enum Interaction: Decodable, TaggedDecodable {
///     case click(Click), view(View)
///
///     static let tagKey = "type"
///
///     static func decode(tag: String, payload: inout TaggedPayloadDecoder) throws -> Interaction {
///         switch tag {
///         case "click": .click(try payload.decode(Click.self))
///         case "view": .view(try payload.decode(View.self))
///         default: throw payload.unknownTag()
///         }
///     }
///     // init(from:): the same choice through a keyed container.
/// }
/// ```
///
/// `decode(tag:payload:)` must give what `init(from:)` gives for the same line: lines the fast
/// path does not take — no tag, a tag that is not a string, an unknown tag, a number
/// Foundation reads its own way — are decoded through `init(from:)`, which also words the error.
public protocol TaggedDecodable: Decodable {
    /// The key of the member whose string value names the record type, such as `"type"`.
    static var tagKey: String { get }

    /// The record whose type `tag` names, its payload read through `payload`. For a tag that
    /// names no type, throw `payload.unknownTag()`.
    ///
    /// (Not an optional result: the decoder calls this from code generic over `Self`, where an
    /// optional would cost a metadata lookup per record.)
    static func decode(tag: String, payload: inout TaggedPayloadDecoder) throws -> Self
}

/// Decodes the payload of a ``TaggedDecodable`` record from the line already scanned.
public struct TaggedPayloadDecoder: ~Copyable {
    let decoder: JSONFieldDecoder

    /// The line's members decoded as `Payload`: directly when it is `PlainDecodable`, else
    /// through its `init(from:)`. The tag member is one more member, ignored unless `Payload`
    /// reads it.
    public mutating func decode<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        try decoder.decodePayload(Payload.self)
    }

    /// The error to throw for a tag that names no type: the line is then decoded through
    /// `init(from:)`, which says what is wrong with it.
    public func unknownTag() -> any Error {
        UnknownTag()
    }

    struct UnknownTag: Error {}
}
