/// A CSV row: each key is a column, found by header name.
struct CSVKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// Unowned: the decoder outlives its containers, and it caches one of them.
    unowned(unsafe) let decoder: CSVFieldDecoder
    let reader: UnsafeMutablePointer<CSVFieldReader>

    init(decoder: CSVFieldDecoder) {
        self.decoder = decoder
        reader = decoder.reader
    }

    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] { reader.pointee.columnNames.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { reader.pointee.column(of: key.stringValue) != nil }

    @inline(__always)
    private func require(_ key: Key) throws -> Int {
        guard let c = reader.pointee.column(of: key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "missing column \"\(key.stringValue)\""))
        }
        return c
    }

    /// The column for `key` unless the header lacks it or the field is empty and unquoted.
    @inline(__always)
    private func present(_ key: Key) -> Int? {
        guard let c = reader.pointee.column(of: key.stringValue), !reader.pointee.isNull(at: c) else { return nil }
        return c
    }

    func decodeNil(forKey key: Key) throws -> Bool { reader.pointee.isNull(at: try require(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.pointee.bool(at: require(key)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.pointee.string(at: require(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.pointee.double(at: require(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try reader.pointee.float(at: require(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.pointee.integer(Int.self, at: require(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.pointee.integer(Int8.self, at: require(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.pointee.integer(Int16.self, at: require(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.pointee.integer(Int32.self, at: require(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.pointee.integer(Int64.self, at: require(key)) }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { try reader.pointee.integer(Int128.self, at: require(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.pointee.integer(UInt.self, at: require(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.pointee.integer(UInt8.self, at: require(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.pointee.integer(UInt16.self, at: require(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.pointee.integer(UInt32.self, at: require(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.pointee.integer(UInt64.self, at: require(key)) }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { try reader.pointee.integer(UInt128.self, at: require(key)) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.nested(T.self, at: require(key)) }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.bool(at: c)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.string(at: c)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.double(at: c)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.float(at: c)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int.self, at: c)
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int8.self, at: c)
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int16.self, at: c)
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int32.self, at: c)
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int64.self, at: c)
    }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(Int128.self, at: c)
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt.self, at: c)
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt8.self, at: c)
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt16.self, at: c)
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt32.self, at: c)
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt64.self, at: c)
    }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? {
        guard let c = present(key) else { return nil }
        return try reader.pointee.integer(UInt128.self, at: c)
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let c = present(key) else { return nil }
        return try decoder.nested(T.self, at: c)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [key], debugDescription: "a CSV field cannot hold a nested object"))
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "a CSV field cannot hold an array"))
    }
    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: [key], debugDescription: "a CSV field cannot hold a nested object"))
    }
}
