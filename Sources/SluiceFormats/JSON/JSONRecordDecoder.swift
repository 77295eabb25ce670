import SluiceCore

/// Decodes one JSON object (one line, without its newline) into `T`.
///
/// ```swift
/// var decoder = JSONRecordDecoder<Bid>()
/// let bid = try line.withUTF8 { try decoder.decode(UnsafeRawBufferPointer($0)) }
/// ```
///
/// One validating pass checks the line is valid JSON (RFC 8259, UTF-8) and notes where each
/// member's key and value are; `T.init(from:)` then reads members by key from that table, with
/// integers parsed during the scan and strings built straight from the line's bytes. Unknown
/// members are skipped (but validated). Anything unusual — nested objects or arrays decoded into
/// nested types, `Data`, `URL`, `Decimal`, integers written as `1.0` or `1e3` — is decoded by
/// Foundation's `JSONDecoder` instead, so the result is always what `JSONDecoder` gives, for every
/// line that is valid JSON. (Where `JSONDecoder` is lax, e.g. trailing commas or invalid escapes
/// inside skipped members, this decoder rejects the line.)
///
/// Types that declare `PlainDecodable` (a synthesized `init(from:)`) are filled directly, about
/// twice as fast, with the same results; `TaggedDecodable` enums read their tag and decode the
/// payload from the same scan.
///
/// Keep one decoder per thread and reuse it: it keeps its tables between lines. Copies are
/// independent (the first decode through a copy sets up its own tables).
public struct JSONRecordDecoder<T: Decodable> {
    private var impl = JSONFieldDecoder()
    /// How to decode a line without `T.init(from:)` (chosen on first use).
    private var fastPath: JSONFastPath?

    /// A decoder for lines holding `T`s.
    public init() {}

    /// Decodes `line`, one JSON object without its newline.
    ///
    /// Errors name the problem: `invalid JSON at byte 17: expected ',' or '}', found 'x'` (bytes
    /// count from 0), `invalid UTF-8 at byte 5`, `missing field "price"`,
    /// `field "price": expected an integer, found string`, `field "qty": 300 does not fit in UInt8`.
    public mutating func decode(_ line: UnsafeRawBufferPointer) throws(RecordDecodingError) -> T {
        if !isKnownUniquelyReferenced(&impl) { impl = JSONFieldDecoder() }
        if fastPath == nil { fastPath = JSONFastPath.choose(for: T.self) }
        return try impl.decode(T.self, from: line, fastPath: fastPath!)
    }
}

extension JSONRecordDecoder: @unchecked Sendable {}
