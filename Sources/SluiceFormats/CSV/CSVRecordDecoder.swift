import SluiceCore

/// CSV with a header line: columns matched to CodingKeys by header name; quoted fields per
/// RFC 4180 (a field may not contain a newline, since we split on lines).
///
/// ```swift
/// var decoder = try CSVRecordDecoder<Bid>(header: headerLine)
/// let bid = try decoder.decode(line)
/// ```
///
/// Each line must have as many fields as the header. Values are read from the field's text:
/// integers as optional sign and digits, floating point as decimal text (or `nan`, `inf`),
/// booleans as `true`/`false` (any case) or `1`/`0`. An empty unquoted field is null (an
/// optional decodes as nil; a `String` as ""); `""` is the empty string. A key that the header
/// lacks is absent (`decodeIfPresent` gives nil). Single-value types (enums with raw values,
/// `Date`, `URL`, `Data` as base64, `Decimal`) work; nested objects and arrays cannot be held
/// in a CSV field. Errors name the column: `column "price": expected an integer, found "12a"`,
/// `missing column "price"`, `expected 8 fields as in the header, found 7`.
public struct CSVRecordDecoder<T: Decodable> {
    private var impl: CSVFieldDecoder
    private let header: [UInt8]

    /// A decoder for lines under `header`, the header line without its newline (a leading UTF-8
    /// byte order mark is skipped). Throws when the header is empty, malformed, or names a
    /// column twice.
    public init(header: UnsafeRawBufferPointer) throws(RecordDecodingError) {
        impl = try CSVFieldDecoder(header: header)
        self.header = Array(header)
    }

    /// Decodes `line`, one CSV record without its newline.
    public mutating func decode(_ line: UnsafeRawBufferPointer) throws(RecordDecodingError) -> T {
        if !isKnownUniquelyReferenced(&impl) {
            // A copy: set up tables of its own from the same header, which parsed before.
            impl = header.withUnsafeBytes { bytes in try! CSVFieldDecoder(header: bytes) }
        }
        return try impl.decode(T.self, from: line)
    }
}

extension CSVRecordDecoder: @unchecked Sendable {}
