/// Runs a `PlainDecodable` type's `init(from:)` once to learn which keys it reads, with which
/// types, in which order: it answers every `decode` with zero or "" and every `decodeIfPresent`
/// with nil, and gives up (setting `failed`) on anything else.
final class PlanProbeDecoder: Decoder {
    struct Unsupported: Error {}

    var calls: [PlainFieldPlan.Call] = []
    var failed = false
    private var containers = 0

    func record(_ key: some CodingKey, _ scalar: PlainFieldPlan.Scalar, optional: Bool) {
        calls.append(PlainFieldPlan.Call(key: key.stringValue, scalar: scalar, optional: optional))
    }

    func fail() -> Unsupported {
        failed = true
        return Unsupported()
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        containers += 1
        guard containers == 1 else { throw fail() }
        return KeyedDecodingContainer(PlanProbeKeyedContainer<Key>(probe: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw fail() }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { throw fail() }
}

struct PlanProbeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let probe: PlanProbeDecoder

    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] {
        probe.failed = true
        return []
    }
    func contains(_ key: Key) -> Bool {
        probe.failed = true
        return false
    }
    func decodeNil(forKey key: Key) throws -> Bool { throw probe.fail() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        probe.record(key, .bool, optional: false)
        return false
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        probe.record(key, .string, optional: false)
        return ""
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        probe.record(key, .double, optional: false)
        return 0
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        probe.record(key, .float, optional: false)
        return 0
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
        probe.record(key, .int, optional: false)
        return 0
    }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 {
        probe.record(key, .int8, optional: false)
        return 0
    }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 {
        probe.record(key, .int16, optional: false)
        return 0
    }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 {
        probe.record(key, .int32, optional: false)
        return 0
    }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 {
        probe.record(key, .int64, optional: false)
        return 0
    }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
        probe.record(key, .uint, optional: false)
        return 0
    }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
        probe.record(key, .uint8, optional: false)
        return 0
    }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
        probe.record(key, .uint16, optional: false)
        return 0
    }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
        probe.record(key, .uint32, optional: false)
        return 0
    }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 {
        probe.record(key, .uint64, optional: false)
        return 0
    }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { throw probe.fail() }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        probe.record(key, .bool, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        probe.record(key, .string, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        probe.record(key, .double, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        probe.record(key, .float, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        probe.record(key, .int, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? {
        probe.record(key, .int8, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? {
        probe.record(key, .int16, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? {
        probe.record(key, .int32, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? {
        probe.record(key, .int64, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? {
        probe.record(key, .uint, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? {
        probe.record(key, .uint8, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? {
        probe.record(key, .uint16, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? {
        probe.record(key, .uint32, optional: true)
        return nil
    }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? {
        probe.record(key, .uint64, optional: true)
        return nil
    }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { throw probe.fail() }
    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw probe.fail()
    }
    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { throw probe.fail() }
    func superDecoder() throws -> any Decoder { throw probe.fail() }
    func superDecoder(forKey key: Key) throws -> any Decoder { throw probe.fail() }
    func decode(_ type: Int128.Type, forKey key: Key) throws -> Int128 { throw probe.fail() }
    func decode(_ type: UInt128.Type, forKey key: Key) throws -> UInt128 { throw probe.fail() }
    func decodeIfPresent(_ type: Int128.Type, forKey key: Key) throws -> Int128? { throw probe.fail() }
    func decodeIfPresent(_ type: UInt128.Type, forKey key: Key) throws -> UInt128? { throw probe.fail() }
}
