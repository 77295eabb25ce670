/// Reads back what a `SnapshotWriter` wrote, in the same order, checking every read against the
/// end of the bytes: truncated or corrupt input throws `SnapshotError` (`.truncated` or
/// `.corrupt`, with the offset), it never traps.
///
/// ```swift
/// var reader = SnapshotReader(content)
/// let count = try reader.readCount()
/// for _ in 0..<count {
///     let key = try reader.read(Int64.self)
///     let value = try reader.decode(Accumulator.self)
///     ...
/// }
/// try reader.expectEnd()
/// ```
public struct SnapshotReader {
    public let bytes: [UInt8]
    /// The offset of the next byte to read.
    @inlinable public var offset: Int { position }
    @usableFromInline var position: Int
    @usableFromInline let end: Int

    @inlinable
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        end = bytes.count
    }

    /// Bytes not read yet.
    @inlinable public var remaining: Int { end - offset }
    @inlinable public var isAtEnd: Bool { offset == end }

    /// Throws unless every byte has been read: a snapshot with bytes left over is corrupt.
    public func expectEnd() throws {
        if offset != end { throw SnapshotError(.corrupt, "\(end - offset) unexpected bytes after the data at offset \(offset)") }
    }

    /// A fixed-width little-endian integer, as `SnapshotWriter.write(_:)` writes it.
    @inlinable
    public mutating func read<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= end - offset else { throw truncated(needing: size, for: "\(T.self)") }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        position += size
        return T(littleEndian: value)
    }

    /// An unsigned LEB128 varint.
    @inlinable
    public mutating func readVarint() throws -> UInt64 {
        let start = offset
        let end = self.end
        let (result, next) = try bytes.withUnsafeBytes { buffer throws -> (UInt64, Int) in
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var position = start
            while true {
                guard position < end else {
                    throw SnapshotError(.truncated, "truncated: a varint at offset \(start) needs more than the \(end - start) bytes left")
                }
                let byte = buffer[position]
                position += 1
                if shift == 63 && byte > 1 {
                    throw SnapshotError(.corrupt, "corrupt: varint at offset \(start) overflows 64 bits")
                }
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return (result, position) }
                shift += 7
            }
        }
        position = next
        return result
    }

    /// A zigzag-encoded signed varint, as `SnapshotWriter.writeVarint(signed:)` writes it.
    @inlinable
    public mutating func readSignedVarint() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A varint count of elements or bytes that must fit in an `Int`.
    @inlinable
    public mutating func readCount() throws -> Int {
        let start = offset
        let raw = try readVarint()
        guard raw <= UInt64(Int.max) else { throw SnapshotError(.corrupt, "corrupt: count \(raw) at offset \(start) is too large") }
        return Int(raw)
    }

    @inlinable
    public mutating func read(_ type: Double.Type) throws -> Double { Double(bitPattern: try read(UInt64.self)) }

    @inlinable
    public mutating func read(_ type: Float.Type) throws -> Float { Float(bitPattern: try read(UInt32.self)) }

    @inlinable
    public mutating func read(_ type: Bool.Type) throws -> Bool {
        let start = offset
        switch try read(UInt8.self) {
        case 0: return false
        case 1: return true
        case let byte: throw SnapshotError(.corrupt, "corrupt: byte \(byte) at offset \(start) is not a Bool (0 or 1)")
        }
    }

    /// A varint byte count, then that many bytes of valid UTF-8.
    @inlinable
    public mutating func read(_ type: String.Type) throws -> String {
        let start = offset
        let length = try readCount()
        guard length <= end - offset else {
            position = start
            throw truncated(needing: length, for: "a string of \(length) bytes", at: start, after: offset - start)
        }
        let at = position
        let string = bytes.withUnsafeBufferPointer { buffer in
            String(validating: UnsafeBufferPointer(rebasing: buffer[at..<at + length]), as: UTF8.self)
        }
        guard let string else {
            position = start
            throw SnapshotError(.corrupt, "corrupt: the string at offset \(start) is not valid UTF-8")
        }
        position += length
        return string
    }

    /// The next `count` bytes as they are.
    @inlinable
    public mutating func readBytes(count: Int) throws -> [UInt8] {
        guard count >= 0, count <= end - offset else { throw truncated(needing: count, for: "\(count) bytes") }
        defer { position += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Calls `body` with the next `count` bytes, without copying them.
    @inlinable
    public mutating func withBytes<R>(count: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        guard count >= 0, count <= end - offset else { throw truncated(needing: count, for: "\(count) bytes") }
        let at = position
        let result = try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[at..<at + count])) }
        position += count
        return result
    }

    /// Skips `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= end - offset else { throw truncated(needing: count, for: "\(count) bytes to skip") }
        position += count
    }

    /// Any `SnapshotCodable` value, as `SnapshotWriter.encode(_:)` wrote it.
    @inlinable
    public mutating func decode<T: SnapshotCodable>(_ type: T.Type = T.self) throws -> T {
        try T(from: &self)
    }

    /// Any `Decodable` value, as `SnapshotWriter.encodeCodable(_:)` wrote it.
    @inlinable
    public mutating func decodeCodable<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try BinaryDecoder.decode(type, from: &self)
    }

    /// The next byte without consuming it, or nil at the end.
    @inlinable
    func peekByte() -> UInt8? {
        offset < end ? bytes[offset] : nil
    }

    /// Moves back (or forward) to `offset`, which must lie within the bytes.
    @usableFromInline
    mutating func seek(to offset: Int) {
        precondition(offset >= 0 && offset <= end)
        position = offset
    }

    @usableFromInline
    func truncated(needing count: Int, for what: String, at start: Int? = nil, after consumed: Int = 0) -> SnapshotError {
        let start = start ?? offset
        let available = end - start - consumed
        return SnapshotError(.truncated, "truncated: \(what) at offset \(start) needs \(count) bytes\(consumed > 0 ? " after its \(consumed)-byte length" : ""), only \(max(available, 0)) left")
    }
}
