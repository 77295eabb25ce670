/// A minimal `Encoder` that records the keys of the top-level keyed container in encoding order
/// (JSONEncoder does not keep key order, so it cannot show it).
final class KeyOrderEncoder: Encoder {
    var keys: [String] = []
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The keys `value.encode(to:)` writes, in order.
    static func keys(of value: some Encodable) throws -> [String] {
        let encoder = KeyOrderEncoder()
        try value.encode(to: encoder)
        return encoder.keys
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Container<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { fatalError("not used") }
    func singleValueContainer() -> any SingleValueEncodingContainer { fatalError("not used") }

    struct Container<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: KeyOrderEncoder
        var codingPath: [any CodingKey] { [] }
        func record(_ key: Key) { encoder.keys.append(key.stringValue) }
        mutating func encodeNil(forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: String, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { record(key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { record(key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { record(key) }
        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy keyType: NestedKey.Type, forKey key: Key
        ) -> KeyedEncodingContainer<NestedKey> { fatalError("not used") }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { fatalError("not used") }
        mutating func superEncoder() -> any Encoder { fatalError("not used") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { fatalError("not used") }
    }
}
