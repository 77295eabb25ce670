import Testing
@testable import SluiceState

@Suite struct SnapshotFileTests {
    static func sample(records: Int = 500) -> SnapshotFile {
        var writer = SnapshotWriter()
        writer.writeVarint(UInt64(records))
        for key in 0..<records {
            writer.write(Int64(key * 17))
            writer.write(Int64(key % 7))
        }
        return SnapshotFile(operatorID: "count-by-auction", keyGroups: 32..<64, recordCount: records, content: writer.take())
    }

    @Test func writesAndReadsBack() throws {
        let directory = try TestDirectory()
        let file = Self.sample()
        let path = directory.path + "/state.snap"
        let info = try file.write(path: path)
        let bytes = try directory.bytes("state.snap")
        #expect(info.fileBytes == Int64(bytes.count))
        #expect(info.fileChecksum == Checksum.xxh64(bytes))
        #expect(info.uncompressedBytes == Int64(file.content.count))
        #expect(info.fileBytes < info.uncompressedBytes)
        #expect(Array(bytes.prefix(4)) == Array("SLSN".utf8))
        #expect(try SnapshotFile.read(path: path) == file)

        let header = try SnapshotFile.readHeader(path: path)
        #expect(header.operatorID == "count-by-auction")
        #expect(header.keyGroups == 32..<64)
        #expect(header.recordCount == 500)
        #expect(header.version == SnapshotFile.formatVersion)
        #expect(header.uncompressedSize == file.content.count)
        #expect(header.headerLength + header.compressedSize == bytes.count)

        let empty = SnapshotFile(operatorID: "ünïcode op", keyGroups: 0..<0, recordCount: 0, content: [])
        #expect(try SnapshotFile.decode(empty.encoded()) == empty)
    }

    /// A flipped byte anywhere is detected, with the error its position calls for.
    @Test func everyFlippedByteIsDetected() throws {
        let bytes = try Self.sample(records: 40).encoded()
        let headerLength = Int(bytes[6]) | Int(bytes[7]) << 8
        for index in bytes.indices {
            var corrupt = bytes
            corrupt[index] ^= 0x10
            let error = try #require(throws: SnapshotError.self, "byte \(index)") { try SnapshotFile.decode(corrupt, source: "part-3") }
            #expect(error.message.hasPrefix("part-3: "))
            switch index {
            case 0..<4: #expect(error.kind == .badMagic, "byte \(index)")
            case 4..<6: #expect(error.kind == .unsupportedVersion, "byte \(index)")
            case 6..<8: #expect([.truncated, .corrupt, .checksumMismatch].contains(error.kind), "byte \(index): \(error)")
            case 8..<headerLength: #expect(error.kind == .checksumMismatch && error.message.contains("header checksum mismatch"), "byte \(index): \(error)")
            default: #expect(error.kind == .checksumMismatch && error.message.contains("compressed content checksum mismatch"), "byte \(index): \(error)")
            }
        }
    }

    @Test func specificCorruptionsSayWhatIsWrong() throws {
        let bytes = try Self.sample().encoded()
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        #expect(try #require(throws: SnapshotError.self) { try SnapshotFile.decode(magic) }.message.contains("not a snapshot file"))

        var version = bytes
        version[4] = 9
        let versionError = try #require(throws: SnapshotError.self) { try SnapshotFile.decode(version) }
        #expect(versionError.message.contains("unsupported snapshot format version 9"))

        var content = bytes
        content[content.count - 1] ^= 1
        let contentError = try #require(throws: SnapshotError.self) { try SnapshotFile.decode(content) }
        #expect(contentError.kind == .checksumMismatch)
        #expect(contentError.message.contains("compressed content checksum mismatch"))

        // A consistent header and frame whose content checksum is wrong: zstd is happy, the
        // content checksum is not.
        let file = Self.sample()
        let frame = try Zstd().compress(file.content)
        let header = SnapshotFileHeader(version: 1, operatorID: file.operatorID, keyGroups: file.keyGroups,
                                        recordCount: file.recordCount, uncompressedSize: file.content.count,
                                        compressedSize: frame.count, contentChecksum: 12345,
                                        frameChecksum: Checksum.xxh64(frame))
        let forgedError = try #require(throws: SnapshotError.self) { try SnapshotFile.decode(header.encoded() + frame) }
        #expect(forgedError.kind == .checksumMismatch)
        #expect(forgedError.message.contains("snapshot: content checksum mismatch: XXH64"))
    }

    /// Cut anywhere, the file is reported truncated (never a trap, never a value).
    @Test func truncationAtEveryLengthIsReported() throws {
        let bytes = try Self.sample(records: 30).encoded()
        for length in 0..<bytes.count {
            let error = try #require(throws: SnapshotError.self, "length \(length)") { try SnapshotFile.decode(Array(bytes.prefix(length))) }
            #expect(error.kind == .truncated, "length \(length): \(error)")
        }
    }

    @Test func writeErrorsNameThePathAndTheReason() throws {
        let directory = try TestDirectory()
        let missing = directory.path + "/no/such/dir/state.snap"
        let notFound = try #require(throws: SnapshotError.self) { try Self.sample().write(path: missing) }
        #expect(notFound.kind == .io)
        #expect(notFound.message.contains(missing))
        #expect(notFound.message.contains("ENOENT"))

        // /dev/full fails every write with ENOSPC.
        let full = try #require(throws: SnapshotError.self) { try Self.sample().write(path: "/dev/full") }
        #expect(full.message == "cannot write /dev/full: No space left on device (ENOSPC)")

        let readMissing = try #require(throws: SnapshotError.self) { try SnapshotFile.read(path: missing) }
        #expect(readMissing.message.contains("cannot open \(missing)"))
    }
}
