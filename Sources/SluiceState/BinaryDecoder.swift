/// Decodes what `BinaryEncoder` wrote: the values of each keyed container in the order the type's
/// `init(from:)` asks for them, which must be the order its `encode(to:)` wrote them (see
/// `BinaryEncoder` for the format).
///
/// Truncated or corrupt input throws `SnapshotError`; an error thrown by the type's own
/// `init(from:)` is reported as a `SnapshotError` of kind `.corrupt` naming the type.
public final class BinaryDecoder {
    private let decoder = BinaryDecoding()

    public init() {}

    /// A `T` from all of `bytes`; bytes left over are an error.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        var reader = SnapshotReader(bytes)
        let value = try decode(type, from: &reader)
        try reader.expectEnd()
        return value
    }

    /// A `T` from `reader`'s next bytes.
    public func decode<T: Decodable>(_ type: T.Type, from reader: inout SnapshotReader) throws -> T {
        try decoder.decode(type, from: &reader)
    }

    /// `decode(_:from:)` with a fresh decoder, for occasional use.
    @inlinable
    public static func decode<T: Decodable>(_ type: T.Type, from reader: inout SnapshotReader) throws -> T {
        try BinaryDecoder().decode(type, from: &reader)
    }
}

/// The `Decoder` behind `BinaryDecoder`.
final class BinaryDecoding: Decoder {
    /// The input, behind a pointer so that containers reach it without exclusivity checks.
    let reader: UnsafeMutablePointer<SnapshotReader>
    let specialTypes: UnsafeMutablePointer<SpecialTypeCache>

    init() {
        specialTypes = .allocate(capacity: 1)
        specialTypes.initialize(to: SpecialTypeCache())
        reader = .allocate(capacity: 1)
        reader.initialize(to: SnapshotReader([]))
    }

    deinit {
        reader.deinitialize(count: 1)
        reader.deallocate()
        specialTypes.deinitialize(count: 1)
        specialTypes.deallocate()
    }

    func decode<T: Decodable>(_ type: T.Type, from input: inout SnapshotReader) throws -> T {
        swap(&reader.pointee, &input)
        defer { swap(&reader.pointee, &input) }
        let start = reader.pointee.offset
        do {
            return try decodeNested(type)
        } catch let error as SnapshotError {
            reader.pointee.seek(to: start)
            throw error
        } catch {
            let failedAt = reader.pointee.offset
            reader.pointee.seek(to: start)
            throw SnapshotError(.corrupt, "corrupt: cannot decode \(T.self) at offset \(start) (failed near offset \(failedAt)): \(Self.describe(error))")
        }
    }

    /// Reads a value of type `T` at the current position.
    func decodeNested<T: Decodable>(_ type: T.Type) throws -> T {
        if isPrimitive(T.self) { return try decodePrimitive() }
        if let special = specialTypes.pointee.decoding(T.self) {
            return try decodeSpecial(special)
        }
        return try T(from: self)
    }

    private func decodeSpecial<S: BinaryDecodingSpecial, T>(_ special: S.Type) throws -> T {
        unsafeBitCast(try S.decodeBinary(from: self), to: T.self)
    }

    @inline(__always)
    private func isPrimitive(_ type: Any.Type) -> Bool {
        type == Int64.self || type == Int.self || type == String.self || type == Double.self || type == Bool.self
            || type == Int32.self || type == UInt64.self || type == UInt8.self || type == Float.self || type == UInt.self
            || type == UInt32.self || type == Int16.self || type == UInt16.self || type == Int8.self
    }

    /// Reads a value of one of the types `isPrimitive` accepts.
    private func decodePrimitive<T>() throws -> T {
        let r = reader
        if T.self == Int64.self { return unsafeBitCast(try r.pointee.read(Int64.self), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try Int(from: &r.pointee), to: T.self) }
        if T.self == String.self { return unsafeBitCast(try r.pointee.read(String.self), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try r.pointee.read(Double.self), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try r.pointee.read(Bool.self), to: T.self) }
        if T.self == Int32.self { return unsafeBitCast(try r.pointee.read(Int32.self), to: T.self) }
        if T.self == UInt64.self { return unsafeBitCast(try r.pointee.read(UInt64.self), to: T.self) }
        if T.self == UInt8.self { return unsafeBitCast(try r.pointee.read(UInt8.self), to: T.self) }
        if T.self == Float.self { return unsafeBitCast(try r.pointee.read(Float.self), to: T.self) }
        if T.self == UInt.self { return unsafeBitCast(try UInt(from: &r.pointee), to: T.self) }
        if T.self == UInt32.self { return unsafeBitCast(try r.pointee.read(UInt32.self), to: T.self) }
        if T.self == Int16.self { return unsafeBitCast(try r.pointee.read(Int16.self), to: T.self) }
        if T.self == UInt16.self { return unsafeBitCast(try r.pointee.read(UInt16.self), to: T.self) }
        return unsafeBitCast(try r.pointee.read(Int8.self), to: T.self)
    }

    /// Reads a presence byte: true for 1 (a value follows), false for 0 (nil).
    func readPresence() throws -> Bool {
        let start = reader.pointee.offset
        switch try reader.pointee.read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let byte: throw SnapshotError(.corrupt, "corrupt: presence byte \(byte) at offset \(start) is neither 0 (nil) nor 1")
        }
    }

    /// Consumes a nil (a zero byte) if one is next.
    func decodeNilIfNext() -> Bool {
        if reader.pointee.peekByte() == 0 {
            reader.pointee.seek(to: reader.pointee.offset + 1)
            return true
        }
        return false
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context),
             DecodingError.keyNotFound(_, let context),
             DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    // MARK: Decoder

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(BinaryKeyedDecodingContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try BinaryUnkeyedDecodingContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        BinarySingleValueDecodingContainer(decoder: self)
    }
}
