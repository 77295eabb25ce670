/// A struct whose `Decodable` conformance is the one the compiler synthesizes, which lets the
/// record decoders fill its stored properties directly instead of calling `init(from:)`:
///
/// ```swift
/// struct Bid: Codable, PlainDecodable {
///     var auction: Int64
///     var price: Int64
///     var channel: String
///     var note: String?
/// }
/// ```
///
/// Going through `init(from:)` costs about 25 ns per field in the standard library's keyed
/// containers alone; filling the properties directly roughly doubles `JSONRecordDecoder`'s
/// throughput on flat records. The result is the same, for valid and invalid lines alike.
///
/// Declare it only when `init(from:)` is synthesized (custom `CodingKeys` are fine): the decoders
/// learn the keys by running `init(from:)` once, then assume it stores each decoded value in its
/// property unchanged. Types that do not fit the fast path — a property that is not an integer,
/// `Float`, `Double`, `Bool`, `String` or an optional of one, a property left out of the coding
/// keys, a class — are decoded through `init(from:)` as any other type, as is any line that the
/// fast path does not take as is (errors, numbers written as `1.0`, escaped keys).
public protocol PlainDecodable: Decodable {}
