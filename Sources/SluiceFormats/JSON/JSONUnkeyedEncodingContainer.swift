/// A JSON array being written: each element goes straight into the output.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    unowned(unsafe) let encoder: JSONFieldEncoder
    let writer: UnsafeMutablePointer<JSONWriter>
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

    var count: Int {
        let frames = writer.pointee.frames
        return frames.count > depth && frames[depth].id == id ? frames[depth].count : 0
    }

    /// Writes the separating comma.
    @inline(__always)
    private func begin() throws {
        guard writer.pointee.beginElement(depth: depth, id: id) else { throw FallbackSignal() }
    }

    private var nextPath: [any CodingKey] { codingPath + [FieldKey(intValue: count)] }

    mutating func encodeNil() throws {
        try begin()
        writer.pointee.appendLiteral("null")
    }
    mutating func encode(_ value: Bool) throws {
        try begin()
        writer.pointee.appendBool(value)
    }
    mutating func encode(_ value: String) throws {
        try begin()
        writer.pointee.appendString(value)
    }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: nextPath, debugDescription: "cannot encode \(value) in JSON"))
        }
        try begin()
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: nextPath, debugDescription: "cannot encode \(value) in JSON"))
        }
        try begin()
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Int) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int8) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int16) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int32) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int64) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int128) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt8) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt16) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt32) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt64) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt128) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = nextPath
        try begin()
        try encoder.encodeNested(value, at: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = nextPath
        let id = (try? begin()) != nil ? writer.pointee.open(isArray: false) : .max
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, depth: depth &+ 1, id: id, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = nextPath
        let id = (try? begin()) != nil ? writer.pointee.open(isArray: true) : .max
        return JSONUnkeyedEncodingContainer(encoder: encoder, depth: depth &+ 1, id: id, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        writer.pointee.fallbackRequested = true
        return encoder
    }
}
