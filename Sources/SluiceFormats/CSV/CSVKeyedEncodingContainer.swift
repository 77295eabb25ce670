/// A CSV row: each key is a column. Nil optionals are written as empty fields (so that the
/// first record's header has every column).
struct CSVKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    unowned(unsafe) let encoder: CSVFieldEncoder
    let writer: UnsafeMutablePointer<CSVWriter>
    /// Set for a container asked for inside a field: every write throws the pending error.
    let rejecting: Bool

    init(encoder: CSVFieldEncoder, rejecting: Bool) {
        self.encoder = encoder
        writer = encoder.writer
        self.rejecting = rejecting
    }

    var codingPath: [any CodingKey] { rejecting ? encoder.codingPath : [] }

    @inline(__always)
    private func begin(_ key: Key) throws -> Int {
        if rejecting, let error = writer.pointee.pendingError { throw error }
        return try writer.pointee.beginColumn(key)
    }

    mutating func encodeNil(forKey key: Key) throws {
        writer.pointee.endColumn(try begin(key))
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        let c = try begin(key)
        writer.pointee.values.append(contentsOf: (value ? "true" : "false").utf8)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        let c = try begin(key)
        try writer.pointee.appendString(value, codingPath: [key])
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        let c = try begin(key)
        writer.pointee.appendFloatingPoint(value)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        let c = try begin(key)
        writer.pointee.appendFloatingPoint(value)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        let c = try begin(key)
        TextWriting.appendInteger(value, to: &writer.pointee.values)
        writer.pointee.endColumn(c)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let c = try begin(key)
        try encoder.encodeNested(value, column: c, codingPath: [key])
        writer.pointee.endColumn(c)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int128?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: UInt128?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try encodeNil(forKey: key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.reject("a nested object")
        return KeyedEncodingContainer(CSVKeyedEncodingContainer<NestedKey>(encoder: encoder, rejecting: true))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.reject("an array")
        return CSVRejectingUnkeyedEncodingContainer(encoder: encoder, codingPath: [key])
    }
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.reject("a nested object")
        return encoder
    }
}
