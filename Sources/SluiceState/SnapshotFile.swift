/// One operator instance's state for a key-group range, as stored in a checkpoint.
///
/// ```swift
/// var writer = SnapshotWriter()
/// ...                                              // the operator writes its entries
/// let file = SnapshotFile(operatorID: "count-by-auction", keyGroups: 0..<64,
///                         recordCount: table.count, content: writer.take())
/// let info = try file.write(path: checkpointDirectory + "/count-by-auction-kg0-64.snap")
/// let back = try SnapshotFile.read(path: info.path)          // verifies everything
/// var reader = SnapshotReader(back.content)
/// ```
///
/// File layout (format version 1), integers little-endian:
///
/// | bytes | field |
/// |---|---|
/// | 4 | magic `SLSN` |
/// | 2 | format version (UInt16) |
/// | 2 | header length in bytes, this table's rows up to and including the header checksum (UInt16) |
/// | varint + n | operator id, UTF-8 |
/// | 4 + 4 | key-group range start, end (UInt32 each; end exclusive) |
/// | 8 | record count (UInt64) |
/// | 8 | uncompressed content size (UInt64) |
/// | 8 | compressed size: the bytes after the header (UInt64) |
/// | 8 | XXH64 of the uncompressed content |
/// | 8 | XXH64 of the compressed content (the zstd frame) |
/// | 8 | XXH64 of the header bytes before this field |
/// | … | one zstd frame of the content (content size in its header, zstd's content checksum on) |
///
/// The header is not compressed, so a tool reads it without decompressing (`readHeader`). It has
/// its own checksum and one of the compressed bytes, so a flipped byte anywhere in the file is
/// detected before decompression (even in the few bits of a zstd frame that its decoder ignores).
public struct SnapshotFile: Sendable, Equatable {
    public static let magic: [UInt8] = Array("SLSN".utf8)
    /// The format this build writes and the newest it reads.
    public static let formatVersion: UInt16 = 1

    public var operatorID: String
    public var keyGroups: Range<Int>
    /// How many entries `content` holds, as the operator counts them (shown by inspection).
    public var recordCount: Int
    /// The operator's serialised state, uncompressed.
    public var content: [UInt8]

    public init(operatorID: String, keyGroups: Range<Int>, recordCount: Int, content: [UInt8]) {
        self.operatorID = operatorID
        self.keyGroups = keyGroups
        self.recordCount = recordCount
        self.content = content
    }

    /// A reader over `content`.
    public var reader: SnapshotReader { SnapshotReader(content) }

    /// The header and the compressed content: the file's bytes in two parts.
    public func encodedParts(level: Int32 = Zstd.defaultLevel, zstd: Zstd = Zstd()) throws -> (header: [UInt8], frame: [UInt8]) {
        precondition(keyGroups.lowerBound >= 0 && keyGroups.upperBound <= Int(UInt32.max), "key groups out of range")
        precondition(recordCount >= 0, "negative record count")
        let frame: [UInt8]
        do {
            frame = try zstd.compress(content, level: level)
        } catch let error as ZstdError {
            throw SnapshotError(.compression, "cannot compress the state of \(operatorID) key groups \(keyGroups): \(error)")
        }
        let header = SnapshotFileHeader(
            version: Self.formatVersion, operatorID: operatorID, keyGroups: keyGroups, recordCount: recordCount,
            uncompressedSize: content.count, compressedSize: frame.count,
            contentChecksum: Checksum.xxh64(content), frameChecksum: Checksum.xxh64(frame))
        return (header.encoded(), frame)
    }

    /// The whole file's bytes.
    public func encoded(level: Int32 = Zstd.defaultLevel, zstd: Zstd = Zstd()) throws -> [UInt8] {
        let (header, frame) = try encodedParts(level: level, zstd: zstd)
        return header + frame
    }

    /// Writes the file (replacing any file at `path`) and fsyncs it. I/O errors are thrown as
    /// `SnapshotError` of kind `.io` naming the path and the reason (`ENOSPC`, `EACCES`, …).
    @discardableResult
    public func write(path: String, level: Int32 = Zstd.defaultLevel, zstd: Zstd = Zstd()) throws -> SnapshotFileInfo {
        let (header, frame) = try encodedParts(level: level, zstd: zstd)
        try FileIO.writeFile(path, parts: [header, frame], sync: true)
        var hasher = XXH64()
        header.withUnsafeBytes { hasher.update($0) }
        frame.withUnsafeBytes { hasher.update($0) }
        return SnapshotFileInfo(path: path, fileBytes: Int64(header.count + frame.count),
                                uncompressedBytes: Int64(content.count), recordCount: Int64(recordCount),
                                fileChecksum: hasher.finalize())
    }

    /// Reads and verifies the file at `path`: magic, version, header checksum, sizes, zstd frame
    /// and content checksum. Throws `SnapshotError` whose message starts with the path.
    public static func read(path: String, zstd: Zstd = Zstd()) throws -> SnapshotFile {
        try decode(FileIO.readFile(path), source: path, zstd: zstd)
    }

    /// Verifies and decodes a snapshot file's bytes; `source` names them in errors.
    public static func decode(_ bytes: [UInt8], source: String = "snapshot", zstd: Zstd = Zstd()) throws -> SnapshotFile {
        do {
            let header = try SnapshotFileHeader.decode(bytes)
            let body = bytes.count - header.headerLength
            if body < header.compressedSize {
                throw SnapshotError(.truncated, "truncated: the header promises \(header.compressedSize) compressed bytes, only \(body) follow it (file is \(bytes.count) bytes)")
            }
            if body > header.compressedSize {
                throw SnapshotError(.corrupt, "corrupt: \(body - header.compressedSize) unexpected bytes after the compressed content")
            }
            let frameChecksum = bytes.withUnsafeBytes { Checksum.xxh64(UnsafeRawBufferPointer(rebasing: $0[header.headerLength...])) }
            if frameChecksum != header.frameChecksum {
                throw SnapshotError(.checksumMismatch, "compressed content checksum mismatch: XXH64 \(hex(frameChecksum)), the header says \(hex(header.frameChecksum))")
            }
            let content: [UInt8]
            do {
                content = try bytes.withUnsafeBytes {
                    try zstd.decompress(UnsafeRawBufferPointer(rebasing: $0[header.headerLength...]), maximumSize: header.uncompressedSize)
                }
            } catch let error as ZstdError {
                if error.isChecksumMismatch {
                    throw SnapshotError(.checksumMismatch, "content checksum mismatch: \(error)")
                }
                throw SnapshotError(.compression, "\(error)")
            }
            if content.count != header.uncompressedSize {
                throw SnapshotError(.corrupt, "corrupt: the content is \(content.count) bytes, the header says \(header.uncompressedSize)")
            }
            let checksum = Checksum.xxh64(content)
            if checksum != header.contentChecksum {
                throw SnapshotError(.checksumMismatch, "content checksum mismatch: XXH64 \(hex(checksum)), the header says \(hex(header.contentChecksum))")
            }
            return SnapshotFile(operatorID: header.operatorID, keyGroups: header.keyGroups,
                                recordCount: header.recordCount, content: content)
        } catch let error as SnapshotError {
            throw error.prefixed("\(source): ")
        }
    }

    /// The header of the file at `path`, verified, without reading the content.
    public static func readHeader(path: String) throws -> SnapshotFileHeader {
        let bytes = try FileIO.readPrefix(path, limit: Int(UInt16.max))
        do {
            return try SnapshotFileHeader.decode(bytes)
        } catch let error as SnapshotError {
            throw error.prefixed("\(path): ")
        }
    }
}

/// What `SnapshotFile.write` wrote: the numbers a checkpoint manifest records for the file.
public struct SnapshotFileInfo: Sendable, Equatable {
    public var path: String
    /// The file's size: header and compressed content.
    public var fileBytes: Int64
    public var uncompressedBytes: Int64
    public var recordCount: Int64
    /// XXH64 of the whole file's bytes.
    public var fileChecksum: UInt64
}

/// The uncompressed header at the start of a snapshot file (see `SnapshotFile` for the layout).
public struct SnapshotFileHeader: Sendable, Equatable {
    public var version: UInt16
    public var operatorID: String
    public var keyGroups: Range<Int>
    public var recordCount: Int
    public var uncompressedSize: Int
    public var compressedSize: Int
    public var contentChecksum: UInt64
    /// XXH64 of the compressed content.
    public var frameChecksum: UInt64
    /// The header's own size in the file (known after decoding).
    public var headerLength: Int = 0

    /// The header's bytes, ending with their checksum.
    func encoded() -> [UInt8] {
        var writer = SnapshotWriter(capacity: 64 + operatorID.utf8.count)
        writer.writeBytes(SnapshotFile.magic)
        writer.write(version)
        writer.write(UInt16(0))   // the length, filled in below
        writer.write(operatorID)
        writer.write(UInt32(keyGroups.lowerBound))
        writer.write(UInt32(keyGroups.upperBound))
        writer.write(UInt64(recordCount))
        writer.write(UInt64(uncompressedSize))
        writer.write(UInt64(compressedSize))
        writer.write(contentChecksum)
        writer.write(frameChecksum)
        precondition(writer.count + 8 <= Int(UInt16.max), "operator id too long for a snapshot header")
        writer.overwrite(UInt16(writer.count + 8), at: 6)
        writer.write(Checksum.xxh64(writer.bytes))
        return writer.take()
    }

    /// Decodes and verifies the header at the start of `bytes` (which may hold the whole file).
    static func decode(_ bytes: [UInt8]) throws -> SnapshotFileHeader {
        let magic = SnapshotFile.magic
        if bytes.count < magic.count {
            if bytes.elementsEqual(magic.prefix(bytes.count)) {
                throw SnapshotError(.truncated, "truncated: the file is \(bytes.count) bytes, too short for a snapshot header")
            }
            throw SnapshotError(.badMagic, "not a snapshot file (it does not start with \"SLSN\")")
        }
        if !bytes[0..<4].elementsEqual(magic) {
            throw SnapshotError(.badMagic, "not a snapshot file (it starts with \(bytes[0..<4].map { hex($0) }.joined(separator: " ")), not \"SLSN\")")
        }
        if bytes.count < 8 {
            throw SnapshotError(.truncated, "truncated: the file is \(bytes.count) bytes, it ends inside the header")
        }
        var reader = SnapshotReader(bytes)
        try reader.skip(4)
        let version = try reader.read(UInt16.self)
        if version == 0 || version > SnapshotFile.formatVersion {
            throw SnapshotError(.unsupportedVersion, "unsupported snapshot format version \(version) (this build reads 1 to \(SnapshotFile.formatVersion))")
        }
        let length = Int(try reader.read(UInt16.self))
        if length > bytes.count {
            throw SnapshotError(.truncated, "truncated: the file is \(bytes.count) bytes, it ends inside the \(length)-byte header")
        }
        if length < 65 {
            throw SnapshotError(.corrupt, "corrupt header: its length \(length) is less than the minimum 65 bytes")
        }
        let stored = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self) })
        let computed = bytes.withUnsafeBytes { Checksum.xxh64(UnsafeRawBufferPointer(rebasing: $0[0..<length - 8])) }
        if stored != computed {
            throw SnapshotError(.checksumMismatch, "header checksum mismatch: XXH64 \(hex(computed)), the header says \(hex(stored))")
        }
        let operatorID = try reader.read(String.self)
        let start = Int(try reader.read(UInt32.self))
        let end = Int(try reader.read(UInt32.self))
        let recordCount = try reader.read(UInt64.self)
        let uncompressed = try reader.read(UInt64.self)
        let compressed = try reader.read(UInt64.self)
        let contentChecksum = try reader.read(UInt64.self)
        let frameChecksum = try reader.read(UInt64.self)
        if reader.offset != length - 8 {
            throw SnapshotError(.corrupt, "corrupt: the header's fields take \(reader.offset + 8) bytes, its length says \(length)")
        }
        guard start <= end, recordCount <= UInt64(Int.max), uncompressed <= UInt64(Int.max), compressed <= UInt64(Int.max) else {
            throw SnapshotError(.corrupt, "corrupt: impossible header values (key groups \(start)..<\(end), \(recordCount) records, sizes \(uncompressed)/\(compressed))")
        }
        return SnapshotFileHeader(version: version, operatorID: operatorID, keyGroups: start..<end,
                                  recordCount: Int(recordCount), uncompressedSize: Int(uncompressed),
                                  compressedSize: Int(compressed), contentChecksum: contentChecksum,
                                  frameChecksum: frameChecksum, headerLength: length)
    }
}

/// `value` as 0x-prefixed hexadecimal, zero-padded to its width.
func hex<T: FixedWidthInteger & UnsignedInteger>(_ value: T) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: MemoryLayout<T>.size * 2 - digits.count) + digits
}
