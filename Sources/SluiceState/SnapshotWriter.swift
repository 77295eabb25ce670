/// Builds the bytes of a snapshot: little-endian fixed-width integers, LEB128 varints, IEEE
/// floating point, length-prefixed UTF-8 strings and raw bytes, appended to a growable array.
///
/// ```swift
/// var writer = SnapshotWriter()
/// writer.writeVarint(UInt64(table.count))
/// table.forEach { key, value in
///     writer.write(key)            // Int64: 8 bytes, little-endian
///     writer.encode(value)         // any SnapshotCodable value
/// }
/// let content = writer.bytes       // read back with SnapshotReader(content)
/// ```
///
/// `SnapshotReader` reads each of these back with the matching `read` method, in the same order.
public struct SnapshotWriter {
    /// `[0, used)` holds what was written; the rest is initialised room to write into without
    /// `append`'s per-call overhead.
    @usableFromInline var storage: [UInt8]
    @usableFromInline var used: Int

    @inlinable
    public init(capacity: Int = 0) {
        storage = [UInt8](repeating: 0, count: capacity)
        used = 0
    }

    /// Everything written so far (a copy unless the writer is exactly full: `take()` never copies).
    @inlinable public var bytes: [UInt8] { used == storage.count ? storage : Array(storage[0..<used]) }

    /// The number of bytes written so far.
    @inlinable public var count: Int { used }

    /// Empties the writer and keeps its storage for the next snapshot.
    @inlinable
    public mutating func removeAll() { used = 0 }

    /// Hands over the bytes written and leaves the writer empty.
    @inlinable
    public mutating func take() -> [UInt8] {
        storage.removeSubrange(used...)
        used = 0
        defer { storage = [] }
        return storage
    }

    /// Makes room for `count` more bytes and returns where they go.
    @inlinable @inline(__always)
    mutating func reserve(_ count: Int) -> Int {
        if storage.count - used < count { grow(count) }
        let offset = used
        used += count
        return offset
    }

    @usableFromInline
    mutating func grow(_ count: Int) {
        let needed = used + count
        var capacity = Swift.max(storage.count * 2, 256)
        while capacity < needed { capacity *= 2 }
        storage.append(contentsOf: repeatElement(0, count: capacity - storage.count))
    }

    /// `value` in its own width, least significant byte first.
    @inlinable
    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        let offset = reserve(MemoryLayout<T>.size)
        storage.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }

    /// `value` as an unsigned LEB128 varint: 7 bits a byte, low bits first, 1 to 10 bytes.
    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        if value < 0x80 {
            let offset = reserve(1)
            storage[offset] = UInt8(truncatingIfNeeded: value)
            return
        }
        let offset = reserve(10)
        let written = storage.withUnsafeMutableBytes { buffer in
            var value = value
            var position = offset
            while value >= 0x80 {
                buffer[position] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
                position += 1
            }
            buffer[position] = UInt8(truncatingIfNeeded: value)
            return position + 1 - offset
        }
        used -= 10 - written
    }

    /// `value` zigzag-encoded (0, -1, 1, -2, … become 0, 1, 2, 3, …) as a LEB128 varint, so that
    /// small negative numbers are short too.
    @inlinable
    public mutating func writeVarint(signed value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The bit pattern of `value`, 8 bytes little-endian.
    @inlinable
    public mutating func write(_ value: Double) { write(value.bitPattern) }

    /// The bit pattern of `value`, 4 bytes little-endian.
    @inlinable
    public mutating func write(_ value: Float) { write(value.bitPattern) }

    /// One byte, 0 or 1.
    @inlinable
    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    /// The UTF-8 byte count as a varint, then the UTF-8 bytes.
    @inlinable
    public mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }

    /// `raw` as it is, without a length: the reader must know how many bytes to read.
    @inlinable
    public mutating func writeBytes(_ raw: UnsafeRawBufferPointer) {
        guard raw.count > 0 else { return }
        let offset = reserve(raw.count)
        storage.withUnsafeMutableBytes { ($0.baseAddress! + offset).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
    }

    /// `raw` as it is, without a length.
    @inlinable
    public mutating func writeBytes(_ raw: [UInt8]) {
        raw.withUnsafeBytes { writeBytes($0) }
    }

    /// Any `SnapshotCodable` value (integers, strings, optionals, arrays and dictionaries of them,
    /// and the caller's own conforming types).
    @inlinable
    public mutating func encode<T: SnapshotCodable>(_ value: T) {
        value.write(to: &self)
    }

    /// Any `Encodable` value, through `BinaryEncoder`: its stored values in encoding order,
    /// without keys.
    @inlinable
    public mutating func encodeCodable<T: Encodable>(_ value: T) throws {
        try BinaryEncoder.encode(value, into: &self)
    }

    /// Overwrites the bytes at `offset` with `value` (little-endian): for a length written as a
    /// placeholder before the data it counts.
    @inlinable
    public mutating func overwrite<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= used, "overwrite past the end")
        storage.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }

    /// Overwrites the 5 bytes at `offset` with `value` as a LEB128 varint padded to 5 bytes, which
    /// `SnapshotReader.readVarint` reads like any other.
    @usableFromInline
    mutating func overwritePaddedVarint(_ value: UInt32, at offset: Int) {
        storage.withUnsafeMutableBytes { buffer in
            var value = value
            for index in 0..<4 {
                buffer[offset + index] = UInt8(truncatingIfNeeded: value) | 0x80
                value >>= 7
            }
            buffer[offset + 4] = UInt8(truncatingIfNeeded: value)
        }
    }

    /// Appends 5 bytes to be filled by `overwritePaddedVarint`.
    @usableFromInline
    mutating func reservePaddedVarint() -> Int {
        reserve(5)
    }
}
