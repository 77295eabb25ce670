/// Reads a keyed container's values in the order they are asked for.
struct BinaryKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    unowned(unsafe) let decoder: BinaryDecoding

    init(decoder: BinaryDecoding) { self.decoder = decoder }

    var codingPath: [any CodingKey] { [] }

    @inline(__always) private var reader: UnsafeMutablePointer<SnapshotReader> { decoder.reader }

    /// The key of the nested container that comes next, if the next bytes name one of `Key`'s
    /// keys: how a synthesized enum conformance finds its case. Reads nothing.
    var allKeys: [Key] {
        var probe = reader.pointee
        guard let name = try? probe.read(String.self), let key = Key(stringValue: name) else { return [] }
        return [key]
    }

    /// Always true: values are positional, so every key the type asks for is there.
    func contains(_ key: Key) -> Bool { true }

    func decodeNil(forKey key: Key) throws -> Bool { decoder.decodeNilIfNext() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.pointee.read(Bool.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.pointee.read(String.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.pointee.read(Double.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try reader.pointee.read(Float.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int(from: &reader.pointee) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.pointee.read(Int8.self) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.pointee.read(Int16.self) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.pointee.read(Int32.self) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.pointee.read(Int64.self) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try UInt(from: &reader.pointee) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.pointee.read(UInt8.self) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.pointee.read(UInt16.self) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.pointee.read(UInt32.self) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.pointee.read(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.decodeNested(type) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decoder.readPresence() ? try decode(type, forKey: key) : nil }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try decoder.readPresence() ? try decoder.decodeNested(type) : nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try expectKey(key)
        return KeyedDecodingContainer(BinaryKeyedDecodingContainer<NestedKey>(decoder: decoder))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try expectKey(key)
        return try BinaryUnkeyedDecodingContainer(decoder: decoder)
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { decoder }

    /// Reads the key a nested container was written under and checks that it is `key`.
    private func expectKey(_ key: Key) throws {
        let start = reader.pointee.offset
        let name = try reader.pointee.read(String.self)
        if name != key.stringValue {
            reader.pointee.seek(to: start)
            throw SnapshotError(.corrupt, "corrupt: expected the nested container \"\(key.stringValue)\" at offset \(start), found \"\(name)\"")
        }
    }
}

/// Reads an unkeyed container's count, then its elements.
struct BinaryUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    unowned(unsafe) let decoder: BinaryDecoding
    let elementCount: Int
    private(set) var currentIndex = 0

    init(decoder: BinaryDecoding) throws {
        self.decoder = decoder
        elementCount = try decoder.reader.pointee.readCount()
    }

    var codingPath: [any CodingKey] { [] }
    var count: Int? { elementCount }
    var isAtEnd: Bool { currentIndex >= elementCount }

    /// The reader, once it is known that another element is there.
    private mutating func next() throws -> UnsafeMutablePointer<SnapshotReader> {
        guard currentIndex < elementCount else {
            throw SnapshotError(.corrupt, "corrupt: a value asks for element \(currentIndex + 1) of a container that holds \(elementCount) (at offset \(decoder.reader.pointee.offset))")
        }
        currentIndex += 1
        return decoder.reader
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elementCount else { return false }
        if decoder.decodeNilIfNext() {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().pointee.read(Bool.self) }
    mutating func decode(_ type: String.Type) throws -> String { try next().pointee.read(String.self) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().pointee.read(Double.self) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().pointee.read(Float.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try Int(from: &next().pointee) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().pointee.read(Int8.self) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().pointee.read(Int16.self) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().pointee.read(Int32.self) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().pointee.read(Int64.self) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try UInt(from: &next().pointee) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().pointee.read(UInt8.self) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().pointee.read(UInt16.self) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().pointee.read(UInt32.self) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().pointee.read(UInt64.self) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        _ = try next()
        return try decoder.decodeNested(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        _ = try next()
        return KeyedDecodingContainer(BinaryKeyedDecodingContainer<NestedKey>(decoder: decoder))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        _ = try next()
        return try BinaryUnkeyedDecodingContainer(decoder: decoder)
    }

    mutating func superDecoder() throws -> any Decoder {
        _ = try next()
        return decoder
    }
}

/// Reads one value in place.
struct BinarySingleValueDecodingContainer: SingleValueDecodingContainer {
    unowned(unsafe) let decoder: BinaryDecoding

    var codingPath: [any CodingKey] { [] }

    @inline(__always) private var reader: UnsafeMutablePointer<SnapshotReader> { decoder.reader }

    func decodeNil() -> Bool { decoder.decodeNilIfNext() }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.pointee.read(Bool.self) }
    func decode(_ type: String.Type) throws -> String { try reader.pointee.read(String.self) }
    func decode(_ type: Double.Type) throws -> Double { try reader.pointee.read(Double.self) }
    func decode(_ type: Float.Type) throws -> Float { try reader.pointee.read(Float.self) }
    func decode(_ type: Int.Type) throws -> Int { try Int(from: &reader.pointee) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.pointee.read(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.pointee.read(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.pointee.read(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.pointee.read(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try UInt(from: &reader.pointee) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.pointee.read(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.pointee.read(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.pointee.read(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.pointee.read(UInt64.self) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeNested(type) }
}
