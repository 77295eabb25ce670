/// A JSON array being written: each element goes straight into the output.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer, JSONValueWriting {
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
    func beginValue() throws {
        guard writer.pointee.beginElement(depth: depth, id: id) else { throw FallbackSignal() }
    }

    mutating func encode(_ value: Int128) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt128) throws { try writeInteger(value) }

    var valuePath: [any CodingKey] { codingPath + [FieldKey(intValue: count)] }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = valuePath
        let id = (try? beginValue()) != nil ? writer.pointee.open(isArray: false) : .max
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, depth: depth &+ 1, id: id, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = valuePath
        let id = (try? beginValue()) != nil ? writer.pointee.open(isArray: true) : .max
        return JSONUnkeyedEncodingContainer(encoder: encoder, depth: depth &+ 1, id: id, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        writer.pointee.fallbackRequested = true
        return encoder
    }
}
