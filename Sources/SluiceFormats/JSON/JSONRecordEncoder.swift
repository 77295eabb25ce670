/// Appends `T` as one compact JSON object (fields in encode order, no spaces) plus "\n".
///
/// ```swift
/// var encoder = JSONRecordEncoder<Bid>()
/// var out: [UInt8] = []
/// try encoder.encode(bid, into: &out)   // {"auction":1000,"bidder":1001,...}\n
/// ```
///
/// Values are written straight into the buffer: strings escaped (only '"', '\\' and control
/// characters; '/' and non-ASCII are written as they are), integers as digits, floating point
/// as the shortest text that reads back exactly (`1`, `0.1`, `1e+20`). Nested values and arrays
/// are supported; `URL`, `Data` and `Decimal` are written as Foundation's `JSONEncoder` writes
/// them (a string, base64, a number). An `Encodable` that writes into a container it has already
/// left, or asks for a `superEncoder`, is encoded by `JSONEncoder` instead (for such values
/// member order then follows `JSONEncoder`). NaN and infinity cannot be written:
/// `field "price": cannot encode nan in JSON`.
///
/// Types that declare `PlainEncodable` (a synthesized `encode(to:)`) are read directly, several
/// times faster, with the same output.
///
/// Keep one encoder per thread and reuse it. Copies are independent.
public struct JSONRecordEncoder<T: Encodable> {
    private var impl = JSONFieldEncoder()
    /// For `PlainEncodable` types: how to read the properties directly (made on first use).
    private var plan: PlainFieldPlan?
    private var planned = false

    /// An encoder for `T`s.
    public init() {}

    /// Appends `value` and a newline to `buffer`. On error, `buffer` is left as it was.
    public mutating func encode(_ value: T, into buffer: inout [UInt8]) throws(RecordEncodingError) {
        if !isKnownUniquelyReferenced(&impl) { impl = JSONFieldEncoder() }
        if !planned {
            planned = true
            if T.self is any PlainEncodable.Type { plan = PlainFieldPlan.make(encoding: value) }
        }
        if let plan, impl.encodePlain(value, plan: plan, into: &buffer) { return }
        try impl.encode(value, into: &buffer)
    }
}

extension JSONRecordEncoder: @unchecked Sendable {}
