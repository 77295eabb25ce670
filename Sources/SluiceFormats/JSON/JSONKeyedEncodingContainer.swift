/// A JSON object being written: each member goes straight into the output.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    /// Unowned: containers are used only inside `encode(to:)`, while the encoder is alive.
    unowned(unsafe) let encoder: JSONFieldEncoder
    let writer: UnsafeMutablePointer<JSONWriter>
    /// This container's position in the stack of open containers, and its identity there.
    let depth: Int
    let id: UInt32
    let codingPath: [any CodingKey]

    init(encoder: JSONFieldEncoder, depth: Int, id: UInt32, codingPath: [any CodingKey]) {
        self.encoder = encoder
        writer = encoder.writer
        self.depth = depth
        self.id = id
        self.codingPath = codingPath
    }

    /// Writes the comma and `"key":`.
    @inline(__always)
    private func begin(_ key: Key) throws {
        guard writer.pointee.beginElement(depth: depth, id: id) else { throw FallbackSignal() }
        writer.pointee.appendKey(key.stringValue)
    }

    private func nonFinite(_ value: Any, _ key: Key) -> EncodingError {
        .invalidValue(value, .init(codingPath: codingPath + [key], debugDescription: "cannot encode \(value) in JSON"))
    }

    mutating func encodeNil(forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendLiteral("null")
    }
    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendBool(value)
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendString(value)
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        guard value.isFinite else { throw nonFinite(value, key) }
        try begin(key)
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        guard value.isFinite else { throw nonFinite(value, key) }
        try begin(key)
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int128, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt128, forKey key: Key) throws {
        try begin(key)
        writer.pointee.appendInteger(value)
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try begin(key)
        try encoder.encodeNested(value, at: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let id = (try? begin(key)) != nil ? writer.pointee.open(isArray: false) : .max
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(
            encoder: encoder, depth: depth &+ 1, id: id, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let id = (try? begin(key)) != nil ? writer.pointee.open(isArray: true) : .max
        return JSONUnkeyedEncodingContainer(encoder: encoder, depth: depth &+ 1, id: id, codingPath: codingPath + [key])
    }

    // Left to Foundation: the record is encoded again by JSONEncoder.
    mutating func superEncoder() -> any Encoder {
        writer.pointee.fallbackRequested = true
        return encoder
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        writer.pointee.fallbackRequested = true
        return encoder
    }
}
