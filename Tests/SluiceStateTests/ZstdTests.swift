import Testing
import SluiceState

@Suite struct ZstdTests {
    @Test func roundTripsCompressibleRandomAndEmptyInput() throws {
        let zstd = Zstd()
        var random = SplitMix(seed: 3)
        let inputs: [[UInt8]] = [
            [],
            [42],
            Array(repeating: 7, count: 100_000),
            (0..<50_000).map { _ in UInt8(truncatingIfNeeded: random.next()) },
            Array(String(repeating: "{\"auction\":1000,\"bidder\":2001,\"price\":123}\n", count: 2000).utf8),
        ]
        for level: Int32 in [1, 3, 9] {
            for input in inputs {
                let frame = try zstd.compress(input, level: level)
                #expect(try zstd.decompress(frame) == input)
            }
        }
        // Contexts are reused: a second round through the same instance still works.
        #expect(try zstd.decompress(zstd.compress(inputs[2])) == inputs[2])
        let compressible = try zstd.compress(inputs[2])
        #expect(compressible.count < 100)
    }

    @Test func everyFlippedByteOrTruncationIsAnError() throws {
        let zstd = Zstd()
        var random = SplitMix(seed: 4)
        let input = (0..<4_000).map { _ in UInt8(truncatingIfNeeded: random.next() % 16) }
        let frame = try zstd.compress(input)
        for index in frame.indices {
            var corrupt = frame
            corrupt[index] ^= 0x5A
            // A flip either makes the frame invalid or, in a few header bits, changes nothing
            // decoded; it must never yield different content without an error.
            if let output = try? zstd.decompress(corrupt) { #expect(output == input, "byte \(index)") }
        }
        for length in 0..<frame.count {
            #expect(throws: ZstdError.self, "length \(length)") { try zstd.decompress(Array(frame.prefix(length))) }
        }
        // The decompressor is usable after errors.
        #expect(try zstd.decompress(frame) == input)
    }

    @Test func errorsNameZstdsReason() throws {
        let zstd = Zstd()
        let frame = try zstd.compress(Array(repeating: 1, count: 1000) + Array(0...255))
        var flipped = frame
        flipped[flipped.count - 2] ^= 0xFF   // inside the content checksum
        let error = try #require(throws: ZstdError.self) { try zstd.decompress(flipped) }
        #expect(error.isChecksumMismatch)
        #expect(error.description.contains("checksum"))

        let garbage = try #require(throws: ZstdError.self) { try zstd.decompress(Array("not zstd at all".utf8)) }
        #expect(garbage.description.contains("not a zstd frame"))

        let trailing = try #require(throws: ZstdError.self) { try zstd.decompress(frame + [0, 1, 2]) }
        #expect(trailing.description.contains("3 bytes after the end of the frame"))

        let tooBig = try #require(throws: ZstdError.self) { try zstd.decompress(frame, maximumSize: 100) }
        #expect(tooBig.description.contains("more than the 100 expected"))
    }
}
