/// Types that `BinaryEncoder` writes its own way instead of through `encode(to:)`: optionals get
/// a presence byte, arrays a count written up front, dictionaries key, value pairs whatever the
/// key type (through `encode(to:)` a `String`-keyed dictionary would write its keys as coding
/// keys, which a keyless format drops).
protocol BinaryEncodingSpecial {
    func encodeBinary(to encoder: BinaryEncoding) throws
}

extension BinaryEncodingSpecial {
    /// Encodes `value`, which must be of type `Self`: lets the encoder call a conformance it
    /// found once per type without casting every value.
    static func encodeBinary<T>(_ value: T, to encoder: BinaryEncoding) throws {
        try unsafeBitCast(value, to: Self.self).encodeBinary(to: encoder)
    }
}

/// The decoding side of `BinaryEncodingSpecial`.
protocol BinaryDecodingSpecial {
    static func decodeBinary(from decoder: BinaryDecoding) throws -> Self
}

/// Remembers, for the last few types seen, whether they conform to `BinaryEncodingSpecial` or
/// `BinaryDecodingSpecial` and how, so that the cast (a conformance lookup costing tens of
/// nanoseconds) runs once per type, not once per value.
struct SpecialTypeCache {
    private var types: (ObjectIdentifier?, ObjectIdentifier?, ObjectIdentifier?, ObjectIdentifier?) = (nil, nil, nil, nil)
    private var encoding: [(any BinaryEncodingSpecial.Type)?] = [nil, nil, nil, nil]
    private var decoding: [(any BinaryDecodingSpecial.Type)?] = [nil, nil, nil, nil]
    private var next = 0

    /// The slot that holds `type`, or -1.
    @inline(__always)
    private func slot(_ type: Any.Type) -> Int {
        let id = ObjectIdentifier(type)
        if types.0 == id { return 0 }
        if types.1 == id { return 1 }
        if types.2 == id { return 2 }
        if types.3 == id { return 3 }
        return -1
    }

    /// `type`'s `BinaryEncodingSpecial` conformance, or nil when it has none.
    mutating func encoding(_ type: Any.Type) -> (any BinaryEncodingSpecial.Type)? {
        let index = slot(type)
        if index >= 0 { return encoding[index] }
        let found = type as? any BinaryEncodingSpecial.Type
        insert(type, encoding: found, decoding: nil)
        return found
    }

    /// `type`'s `BinaryDecodingSpecial` conformance, or nil when it has none.
    mutating func decoding(_ type: Any.Type) -> (any BinaryDecodingSpecial.Type)? {
        let index = slot(type)
        if index >= 0 { return decoding[index] }
        let found = type as? any BinaryDecodingSpecial.Type
        insert(type, encoding: nil, decoding: found)
        return found
    }

    private mutating func insert(_ type: Any.Type, encoding: (any BinaryEncodingSpecial.Type)?, decoding: (any BinaryDecodingSpecial.Type)?) {
        let id = ObjectIdentifier(type)
        switch next {
        case 0: types.0 = id
        case 1: types.1 = id
        case 2: types.2 = id
        default: types.3 = id
        }
        self.encoding[next] = encoding
        self.decoding[next] = decoding
        next = (next + 1) & 3
    }
}

extension Optional: BinaryEncodingSpecial where Wrapped: Encodable {
    func encodeBinary(to encoder: BinaryEncoding) throws {
        if let value = self {
            encoder.writer.pointee.write(UInt8(1))
            try encoder.encodeNested(value)
        } else {
            encoder.writer.pointee.write(UInt8(0))
        }
    }
}

extension Optional: BinaryDecodingSpecial where Wrapped: Decodable {
    static func decodeBinary(from decoder: BinaryDecoding) throws -> Self {
        try decoder.readPresence() ? try decoder.decodeNested(Wrapped.self) : nil
    }
}

extension Array: BinaryEncodingSpecial where Element: Encodable {
    func encodeBinary(to encoder: BinaryEncoding) throws {
        encoder.writer.pointee.writeVarint(UInt64(count))
        for element in self { try encoder.encodeNested(element) }
    }
}

extension Array: BinaryDecodingSpecial where Element: Decodable {
    static func decodeBinary(from decoder: BinaryDecoding) throws -> Self {
        let count = try decoder.reader.pointee.readCount()
        var result: [Element] = []
        result.reserveCapacity(Swift.min(count, decoder.reader.pointee.remaining))
        for _ in 0..<count { result.append(try decoder.decodeNested(Element.self)) }
        return result
    }
}

extension Dictionary: BinaryEncodingSpecial where Key: Encodable, Value: Encodable {
    func encodeBinary(to encoder: BinaryEncoding) throws {
        encoder.writer.pointee.writeVarint(UInt64(count))
        for (key, value) in self {
            try encoder.encodeNested(key)
            try encoder.encodeNested(value)
        }
    }
}

extension Dictionary: BinaryDecodingSpecial where Key: Decodable, Value: Decodable {
    static func decodeBinary(from decoder: BinaryDecoding) throws -> Self {
        let start = decoder.reader.pointee.offset
        let count = try decoder.reader.pointee.readCount()
        var result: [Key: Value] = [:]
        result.reserveCapacity(Swift.min(count, decoder.reader.pointee.remaining))
        for _ in 0..<count {
            let key = try decoder.decodeNested(Key.self)
            let value = try decoder.decodeNested(Value.self)
            if result.updateValue(value, forKey: key) != nil {
                throw SnapshotError(.corrupt, "corrupt: the dictionary at offset \(start) holds the key \(key) twice")
            }
        }
        return result
    }
}
