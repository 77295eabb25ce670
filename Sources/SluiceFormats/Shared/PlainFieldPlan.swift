@_spi(Reflection) import Swift

/// How to fill a `PlainDecodable` struct directly: for each stored property, the key its
/// synthesized `init(from:)` reads, where the property is, and what it holds.
struct PlainFieldPlan {
    enum Scalar {
        case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64
        case float, double, bool, string
    }

    /// Trivial to copy, so that walking the plan costs no reference counting.
    struct Field {
        /// The key's UTF-8 bytes: `keyBytes[keyStart..<keyStart + keyCount]`.
        var keyStart: Int
        var keyCount: Int
        var offset: Int
        var scalar: Scalar
        var optional: Bool
    }

    let fields: [Field]
    /// All keys, back to back.
    let keyBytes: [UInt8]

    /// Field `n`'s key.
    func key(_ n: Int) -> String {
        let field = fields[n]
        return String(decoding: keyBytes[field.keyStart..<field.keyStart + field.keyCount], as: UTF8.self)
    }

    /// One call a synthesized `init(from:)` or `encode(to:)` made: `decode`/`encode` (or, for an
    /// optional property, `decodeIfPresent`/`encodeIfPresent`) of a scalar, for a key.
    struct Call {
        var key: String
        var scalar: Scalar
        var optional: Bool
    }

    /// The plan for `T`, or nil when `T` is not a struct of supported properties that its
    /// `init(from:)` reads one by one, in order, with `decode` or `decodeIfPresent`.
    static func make<T: Decodable>(decoding type: T.Type) -> PlainFieldPlan? {
        let probe = PlanProbeDecoder()
        guard (try? T(from: probe)) != nil, !probe.failed else { return nil }
        return make(for: T.self, calls: probe.calls)
    }

    /// The plan for `T`, or nil when `T` is not a struct of supported properties that its
    /// `encode(to:)` writes one by one, in order, with `encode` or `encodeIfPresent`.
    static func make<T: Encodable>(encoding value: T) -> PlainFieldPlan? {
        let probe = PlanProbeEncoder()
        guard (try? value.encode(to: probe)) != nil, !probe.failed else { return nil }
        return make(for: T.self, calls: probe.calls)
    }

    private static func make(for type: Any.Type, calls: [Call]) -> PlainFieldPlan? {
        var properties: [(offset: Int, type: Any.Type)] = []
        let isStruct = _forEachField(of: type, options: []) { _, offset, fieldType, _ in
            properties.append((offset, fieldType))
            return true
        }
        guard isStruct, !properties.isEmpty, calls.count == properties.count else { return nil }
        var fields: [Field] = []
        var keyBytes: [UInt8] = []
        for (call, property) in zip(calls, properties) {
            let expected = call.optional ? call.scalar.optionalType : call.scalar.type
            guard property.type == expected, call.key.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            fields.append(Field(keyStart: keyBytes.count, keyCount: call.key.utf8.count, offset: property.offset,
                                scalar: call.scalar, optional: call.optional))
            keyBytes.append(contentsOf: call.key.utf8)
        }
        return PlainFieldPlan(fields: fields, keyBytes: keyBytes)
    }
}

extension PlainFieldPlan.Scalar {
    var type: Any.Type {
        switch self {
        case .int: Int.self
        case .int8: Int8.self
        case .int16: Int16.self
        case .int32: Int32.self
        case .int64: Int64.self
        case .uint: UInt.self
        case .uint8: UInt8.self
        case .uint16: UInt16.self
        case .uint32: UInt32.self
        case .uint64: UInt64.self
        case .float: Float.self
        case .double: Double.self
        case .bool: Bool.self
        case .string: String.self
        }
    }

    var optionalType: Any.Type {
        switch self {
        case .int: Int?.self
        case .int8: Int8?.self
        case .int16: Int16?.self
        case .int32: Int32?.self
        case .int64: Int64?.self
        case .uint: UInt?.self
        case .uint8: UInt8?.self
        case .uint16: UInt16?.self
        case .uint32: UInt32?.self
        case .uint64: UInt64?.self
        case .float: Float?.self
        case .double: Double?.self
        case .bool: Bool?.self
        case .string: String?.self
        }
    }
}
