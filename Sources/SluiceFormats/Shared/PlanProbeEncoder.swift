/// Runs a `PlainEncodable` value's `encode(to:)` once to learn which keys it writes, with which
/// types, in which order; gives up (setting `failed`) on anything but `encode` and
/// `encodeIfPresent` of scalars into one keyed container.
final class PlanProbeEncoder: Encoder {
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

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        containers += 1
        if containers > 1 { failed = true }
        return KeyedEncodingContainer(PlanProbeKeyedEncodingContainer<Key>(probe: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        failed = true
        return PlanProbeEncoder.Rejecting(probe: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        failed = true
        return PlanProbeEncoder.Rejecting(probe: self)
    }

    /// What the probe hands out for anything it does not support: every write fails.
    struct Rejecting: UnkeyedEncodingContainer, SingleValueEncodingContainer {
        let probe: PlanProbeEncoder
        var codingPath: [any CodingKey] { [] }
        var count: Int { 0 }
        mutating func encodeNil() throws { throw probe.fail() }
        mutating func encode<T: Encodable>(_ value: T) throws { throw probe.fail() }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            probe.failed = true
            return KeyedEncodingContainer(PlanProbeKeyedEncodingContainer<NestedKey>(probe: probe))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { probe }
    }
}

struct PlanProbeKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let probe: PlanProbeEncoder

    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil(forKey key: Key) throws { throw probe.fail() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { probe.record(key, .bool, optional: false) }
    mutating func encode(_ value: String, forKey key: Key) throws { probe.record(key, .string, optional: false) }
    mutating func encode(_ value: Double, forKey key: Key) throws { probe.record(key, .double, optional: false) }
    mutating func encode(_ value: Float, forKey key: Key) throws { probe.record(key, .float, optional: false) }
    mutating func encode(_ value: Int, forKey key: Key) throws { probe.record(key, .int, optional: false) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { probe.record(key, .int8, optional: false) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { probe.record(key, .int16, optional: false) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { probe.record(key, .int32, optional: false) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { probe.record(key, .int64, optional: false) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { probe.record(key, .uint, optional: false) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { probe.record(key, .uint8, optional: false) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { probe.record(key, .uint16, optional: false) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { probe.record(key, .uint32, optional: false) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { probe.record(key, .uint64, optional: false) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw probe.fail() }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { probe.record(key, .bool, optional: true) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { probe.record(key, .string, optional: true) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { probe.record(key, .double, optional: true) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { probe.record(key, .float, optional: true) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { probe.record(key, .int, optional: true) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { probe.record(key, .int8, optional: true) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { probe.record(key, .int16, optional: true) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { probe.record(key, .int32, optional: true) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { probe.record(key, .int64, optional: true) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { probe.record(key, .uint, optional: true) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { probe.record(key, .uint8, optional: true) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { probe.record(key, .uint16, optional: true) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { probe.record(key, .uint32, optional: true) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { probe.record(key, .uint64, optional: true) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { throw probe.fail() }
    mutating func encode(_ value: Int128, forKey key: Key) throws { throw probe.fail() }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { throw probe.fail() }
    mutating func encodeIfPresent(_ value: Int128?, forKey key: Key) throws { throw probe.fail() }
    mutating func encodeIfPresent(_ value: UInt128?, forKey key: Key) throws { throw probe.fail() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        probe.failed = true
        return KeyedEncodingContainer(PlanProbeKeyedEncodingContainer<NestedKey>(probe: probe))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        probe.failed = true
        return PlanProbeEncoder.Rejecting(probe: probe)
    }
    mutating func superEncoder() -> any Encoder {
        probe.failed = true
        return probe
    }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        probe.failed = true
        return probe
    }
}
