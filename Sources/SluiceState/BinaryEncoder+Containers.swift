/// Writes a keyed container's values in encoding order, without keys.
struct BinaryKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    unowned(unsafe) let encoder: BinaryEncoding

    init(encoder: BinaryEncoding) { self.encoder = encoder }

    var codingPath: [any CodingKey] { [] }

    @inline(__always) private var writer: UnsafeMutablePointer<SnapshotWriter> { encoder.writer }

    mutating func encodeNil(forKey key: Key) throws { writer.pointee.write(UInt8(0)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { writer.pointee.write(Int64(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { writer.pointee.write(UInt64(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { writer.pointee.write(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeNested(value) }

    // A present optional is a presence byte 1 and the value; nil is a 0.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { present(value) { $0.write(Int64($1)) } }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { present(value) { $0.write(UInt64($1)) } }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { present(value) { $0.write($1) } }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value {
            writer.pointee.write(UInt8(1))
            try encoder.encodeNested(value)
        } else {
            writer.pointee.write(UInt8(0))
        }
    }

    @inline(__always)
    private func present<T>(_ value: T?, _ write: (inout SnapshotWriter, T) -> Void) {
        if let value {
            writer.pointee.write(UInt8(1))
            write(&writer.pointee, value)
        } else {
            writer.pointee.write(UInt8(0))
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.pointee.write(key.stringValue)
        return KeyedEncodingContainer(BinaryKeyedEncodingContainer<NestedKey>(encoder: encoder))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.pointee.write(key.stringValue)
        return BinaryUnkeyedEncodingContainer(encoder: encoder, index: encoder.beginUnkeyed())
    }

    /// The superclass's values follow inline.
    mutating func superEncoder() -> any Encoder { encoder }
    mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
}

/// Writes an unkeyed container's elements after a count that is filled in at the end.
struct BinaryUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    unowned(unsafe) let encoder: BinaryEncoding
    /// This container's entry in the encoder's `pendingCounts`.
    let index: Int

    var codingPath: [any CodingKey] { [] }
    var count: Int { encoder.pendingCounts.pointee[index].count }

    @inline(__always)
    private func counted() -> UnsafeMutablePointer<SnapshotWriter> {
        encoder.pendingCounts.pointee[index].count += 1
        return encoder.writer
    }

    mutating func encodeNil() throws { counted().pointee.write(UInt8(0)) }
    mutating func encode(_ value: Bool) throws { counted().pointee.write(value) }
    mutating func encode(_ value: String) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Double) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Float) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Int) throws { counted().pointee.write(Int64(value)) }
    mutating func encode(_ value: Int8) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Int16) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Int32) throws { counted().pointee.write(value) }
    mutating func encode(_ value: Int64) throws { counted().pointee.write(value) }
    mutating func encode(_ value: UInt) throws { counted().pointee.write(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { counted().pointee.write(value) }
    mutating func encode(_ value: UInt16) throws { counted().pointee.write(value) }
    mutating func encode(_ value: UInt32) throws { counted().pointee.write(value) }
    mutating func encode(_ value: UInt64) throws { counted().pointee.write(value) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        _ = counted()
        try encoder.encodeNested(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        _ = counted()
        return KeyedEncodingContainer(BinaryKeyedEncodingContainer<NestedKey>(encoder: encoder))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        _ = counted()
        return BinaryUnkeyedEncodingContainer(encoder: encoder, index: encoder.beginUnkeyed())
    }

    mutating func superEncoder() -> any Encoder {
        _ = counted()
        return encoder
    }
}

/// Writes one value in place.
struct BinarySingleValueEncodingContainer: SingleValueEncodingContainer {
    unowned(unsafe) let encoder: BinaryEncoding

    var codingPath: [any CodingKey] { [] }

    @inline(__always) private var writer: UnsafeMutablePointer<SnapshotWriter> { encoder.writer }

    mutating func encodeNil() throws { writer.pointee.write(UInt8(0)) }
    mutating func encode(_ value: Bool) throws { writer.pointee.write(value) }
    mutating func encode(_ value: String) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Double) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Float) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int) throws { writer.pointee.write(Int64(value)) }
    mutating func encode(_ value: Int8) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int16) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int32) throws { writer.pointee.write(value) }
    mutating func encode(_ value: Int64) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt) throws { writer.pointee.write(UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt16) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt32) throws { writer.pointee.write(value) }
    mutating func encode(_ value: UInt64) throws { writer.pointee.write(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeNested(value) }
}
