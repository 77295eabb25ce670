import Testing
import SluiceState

@Suite struct ChecksumTests {
    /// Reference values from the xxHash library (python-xxhash 3.x).
    @Test func knownVectors() {
        #expect(Checksum.xxh64([UInt8]()) == 0xEF46_DB37_51D8_E999)
        #expect(Checksum.xxh64(Array("a".utf8)) == 0xD24E_C4F1_A98C_6E5B)
        #expect(Checksum.xxh64(Array("abc".utf8)) == 0x44BC_2CF5_AD77_0999)
        #expect(Checksum.xxh64(Array("Nobody inspects the spammish repetition".utf8)) == 0xFBCE_A83C_8A37_8BF1)
        #expect(Checksum.xxh64(Array(UInt8(0)...UInt8(255))) == 0x1FAC_BE84_06CD_904B)
        #expect(Checksum.xxh64([UInt8](), seed: 0x9E37_79B1_85EB_CA8D) == 0x0B30_3D92_0EC3_49DF)
        #expect(Checksum.xxh64(Array("abc".utf8), seed: 0x9E37_79B1_85EB_CA8D) == 0x7E49_C9D7_E85A_4AB6)
    }

    /// Every tail length (0–31 bytes after the stripes, with and without stripes) against the reference.
    @Test func prefixesOfAPattern() {
        let pattern = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7 + 3) }
        let expected: [(Int, UInt64, UInt64)] = [
            (0, 0xef46db3751d8e999, 0x98b1582b0977e704), (1, 0x1f25c8d0bc1f4bb6, 0x4d71bef0290052db),
            (3, 0x31d2363f52e564c9, 0xbf4dd3c814a1fb9e), (4, 0x9bb64b7d66ee9fda, 0xbcb54295ab591e0d),
            (7, 0x9a7b149959ce60d8, 0x9ce59c3ac76ffc9d), (8, 0xdab99d95c6f90092, 0x9fe8789ac2a1a649),
            (9, 0x170bb6bf975b4c02, 0xb866c9d8538b675c), (15, 0x1b47cb8243cc8e32, 0x77d83fcd7f3228dd),
            (16, 0x434850232b787be2, 0x87501f5cd956cb28), (31, 0xa2aa5f33cc4a6119, 0x10ab8a7706d8ba37),
            (32, 0x23c3c17ef790fd97, 0x232e8071e826d4bf), (33, 0x50a7cfc7ba588784, 0x9d08407e35697b1f),
            (63, 0x5e3e54b431c7493c, 0x052fa6d3609a695f), (64, 0x0eb64b3ef6eeb01f, 0xdf21b2dd545076e0),
            (65, 0xa383b724b2bd12f1, 0x87f4f4365c41a858), (100, 0xa61f8d4c170fe531, 0x7dd00be8513c25a2),
            (1000, 0x5f235fa033f1a3fb, 0xd776e8028586ff61),
        ]
        for (length, unseeded, seeded) in expected {
            #expect(Checksum.xxh64(pattern.prefix(length)) == unseeded, "length \(length)")
            #expect(Checksum.xxh64(pattern.prefix(length), seed: 42) == seeded, "length \(length), seed 42")
        }
    }

    /// Feeding the bytes in pieces of any size gives the one-shot hash.
    @Test(arguments: [1, 3, 7, 31, 32, 33, 100])
    func streamingMatchesOneShot(pieceSize: Int) {
        var random = SplitMix(seed: UInt64(pieceSize))
        let bytes = (0..<2_345).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        var hasher = XXH64(seed: 9)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + pieceSize + Int(random.next() % 5), bytes.count)
            bytes[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
        }
        #expect(hasher.finalize() == Checksum.xxh64(bytes, seed: 9))
    }
}
