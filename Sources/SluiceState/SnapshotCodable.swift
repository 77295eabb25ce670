/// A value that writes itself into a snapshot and reads itself back: the fast, explicit way to
/// put operator state in a checkpoint.
///
/// ```swift
/// struct Accumulator: SnapshotCodable {
///     var count: Int64
///     var max: Int64
///     func write(to writer: inout SnapshotWriter) {
///         writer.write(count)
///         writer.write(max)
///     }
///     init(from reader: inout SnapshotReader) throws {
///         count = try reader.read()
///         max = try reader.read()
///     }
/// }
/// ```
///
/// The built-in conformances write: integers fixed-width little-endian (`Int` and `UInt` as 8
/// bytes); `Bool` one byte; `Float`/`Double` their bit patterns; `String` a varint UTF-8 length
/// and the bytes; `Optional` a presence byte (0 nil, 1 present) and the value; `Array` a varint
/// count and the elements; `Dictionary` a varint count and key, value pairs. `BinaryEncoder`
/// writes these types the same way, so a `Codable` struct's bytes equal its fields written one by
/// one with `encode(_:)`.
public protocol SnapshotCodable {
    func write(to writer: inout SnapshotWriter)
    init(from reader: inout SnapshotReader) throws
}

extension Int8: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension Int16: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension Int32: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension Int64: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension UInt8: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension UInt16: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension UInt32: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}
extension UInt64: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read() }
}

extension Int: SnapshotCodable {
    /// 8 bytes on every platform.
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(Int64(self)) }
    @inlinable public init(from reader: inout SnapshotReader) throws {
        let start = reader.offset
        let value = try reader.read(Int64.self)
        guard let exact = Int(exactly: value) else {
            throw SnapshotError(.corrupt, "corrupt: \(value) at offset \(start) does not fit in an Int")
        }
        self = exact
    }
}

extension UInt: SnapshotCodable {
    /// 8 bytes on every platform.
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(UInt64(self)) }
    @inlinable public init(from reader: inout SnapshotReader) throws {
        let start = reader.offset
        let value = try reader.read(UInt64.self)
        guard let exact = UInt(exactly: value) else {
            throw SnapshotError(.corrupt, "corrupt: \(value) at offset \(start) does not fit in a UInt")
        }
        self = exact
    }
}

extension Bool: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read(Bool.self) }
}

extension Double: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read(Double.self) }
}

extension Float: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read(Float.self) }
}

extension String: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) { writer.write(self) }
    @inlinable public init(from reader: inout SnapshotReader) throws { self = try reader.read(String.self) }
}

extension Optional: SnapshotCodable where Wrapped: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) {
        if let value = self {
            writer.write(UInt8(1))
            value.write(to: &writer)
        } else {
            writer.write(UInt8(0))
        }
    }

    @inlinable public init(from reader: inout SnapshotReader) throws {
        let start = reader.offset
        switch try reader.read(UInt8.self) {
        case 0: self = nil
        case 1: self = try Wrapped(from: &reader)
        case let byte: throw SnapshotError(.corrupt, "corrupt: presence byte \(byte) at offset \(start) is neither 0 (nil) nor 1")
        }
    }
}

extension Array: SnapshotCodable where Element: SnapshotCodable {
    @inlinable public func write(to writer: inout SnapshotWriter) {
        writer.writeVarint(UInt64(count))
        for element in self { element.write(to: &writer) }
    }

    @inlinable public init(from reader: inout SnapshotReader) throws {
        let count = try reader.readCount()
        self.init()
        reserveCapacity(Swift.min(count, reader.remaining))
        for _ in 0..<count { append(try Element(from: &reader)) }
    }
}

extension Dictionary: SnapshotCodable where Key: SnapshotCodable, Value: SnapshotCodable {
    /// A varint count, then key, value pairs in the dictionary's (unspecified) order.
    @inlinable public func write(to writer: inout SnapshotWriter) {
        writer.writeVarint(UInt64(count))
        for (key, value) in self {
            key.write(to: &writer)
            value.write(to: &writer)
        }
    }

    @inlinable public init(from reader: inout SnapshotReader) throws {
        let start = reader.offset
        let count = try reader.readCount()
        self.init(minimumCapacity: Swift.min(count, reader.remaining))
        for _ in 0..<count {
            let key = try Key(from: &reader)
            let value = try Value(from: &reader)
            if updateValue(value, forKey: key) != nil {
                throw SnapshotError(.corrupt, "corrupt: the dictionary at offset \(start) holds the key \(key) twice")
            }
        }
    }
}
