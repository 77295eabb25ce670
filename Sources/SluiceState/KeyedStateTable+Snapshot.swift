import SluiceCore

/// Snapshots of keyed state, for tables whose keys and values are `Codable` (checked at run
/// time, so that one DSL step serves both; the dynamic casts cost only at checkpoint time).
extension KeyedStateTable {
    /// Whether checkpoints can save this table: its keys and values are Codable.
    public static var isSnapshotable: Bool {
        Key.self is any Codable.Type && Value.self is any Codable.Type
    }

    /// The table's entries in Sluice's binary snapshot encoding: a count, then each key and value.
    public func serialized() throws -> (bytes: [UInt8], records: Int) {
        guard Self.isSnapshotable else { throw SnapshotError(.corrupt, "keyed state of \(Key.self) → \(Value.self) is not Codable") }
        var writer = SnapshotWriter()
        writer.write(UInt64(count))
        let encoder = BinaryEncoder()
        try forEach { key, value in
            let encodableKey: any Encodable = key as! any Encodable
            let encodableValue: any Encodable = value as! any Encodable
            try encodeOpened(encodableKey, with: encoder, into: &writer)
            try encodeOpened(encodableValue, with: encoder, into: &writer)
        }
        return (writer.take(), count)
    }

    /// Adds the entries of a serialised table whose key's group is in `keyGroups` (the others
    /// belong to another instance after a change of parallelism).
    public mutating func restore(from bytes: [UInt8], keeping keyGroups: Range<Int>, map: KeyGroups) throws {
        guard let keyType = Key.self as? any Decodable.Type, let valueType = Value.self as? any Decodable.Type else {
            throw SnapshotError(.corrupt, "keyed state of \(Key.self) → \(Value.self) is not Codable")
        }
        var reader = SnapshotReader(bytes)
        let count = try reader.read(UInt64.self)
        reserveCapacity(Int(min(count, UInt64(reader.remaining))))
        let decoder = BinaryDecoder()
        for _ in 0..<count {
            let key = try decoder.decode(keyType, from: &reader) as! Key
            let value = try decoder.decode(valueType, from: &reader) as! Value
            guard keyGroups.contains(map.keyGroup(for: key)) else { continue }
            update(key, default: { value }) { $0 = value }
        }
    }
}

/// Encodes a value whose concrete type is only known at run time (opened from `any Encodable`).
private func encodeOpened<T: Encodable>(_ value: T, with encoder: BinaryEncoder, into writer: inout SnapshotWriter) throws {
    try encoder.encode(value, into: &writer)
}
