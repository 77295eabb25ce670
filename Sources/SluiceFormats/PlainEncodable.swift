/// A struct whose `Encodable` conformance is the one the compiler synthesizes, which lets the
/// record encoders read its stored properties directly instead of calling `encode(to:)`:
///
/// ```swift
/// struct Bid: Codable, PlainCodable { var auction: Int64; var channel: String; var note: String? }
/// ```
///
/// The output is the same as through `encode(to:)`. The encoders learn the keys by running
/// `encode(to:)` on the first value, then assume it writes each property unchanged, in order
/// (nil optionals left out). Types that do not fit (see `PlainDecodable`) are encoded through
/// `encode(to:)`, as is any value the direct path cannot write as is (NaN, a line break in a
/// CSV field).
public protocol PlainEncodable: Encodable {}

/// Both `PlainDecodable` and `PlainEncodable`: a struct with synthesized `Codable` conformance.
public typealias PlainCodable = PlainDecodable & PlainEncodable
