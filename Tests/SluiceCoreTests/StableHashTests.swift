import Testing
import SluiceCore

/// The hashes decide which instance owns a key's state, so they must never change between
/// runs or releases: these values were computed independently (murmur3's 64-bit finaliser,
/// and FNV-1a followed by it).
@Suite("Stable hashes")
struct StableHashTests {
    @Test("integer hashes are fixed values")
    func integerHashes() {
        #expect(0.stableHash == 0)
        #expect(1.stableHash == 0xb456_bcfc_34c2_cb2c)
        #expect((-1).stableHash == 0x64b5_720b_4b82_5f21)
        #expect(42.stableHash == 0x8108_7960_8e42_59cc)
    }

    @Test("all integer types agree on the same value")
    func integerTypesAgree() {
        for value in [0, 1, -1, 42, Int(Int32.max), Int(Int32.min)] {
            #expect(Int64(value).stableHash == value.stableHash)
            #expect(Int32(value).stableHash == value.stableHash)
        }
        #expect(UInt64(42).stableHash == 42.stableHash)
        #expect(UInt32(42).stableHash == 42.stableHash)
        #expect(true.stableHash == 1.stableHash)
        #expect(false.stableHash == 0.stableHash)
    }

    @Test("string hashes are fixed values")
    func stringHashes() {
        #expect("a".stableHash == 0x82a2_a958_a9be_ce5b)
        #expect("auction".stableHash == 0x5555_6080_b7e3_705b)
        #expect("".stableHash == 0xefd0_1f60_ba99_2926)
        #expect(stableHash(bytes: Array("auction".utf8)) == "auction".stableHash)
    }

    @Test("a string's hash depends on its bytes, not on how the string is stored")
    func stringRepresentations() {
        let composed = "caf\u{E9}"
        let bridged = String(decoding: Array(composed.utf8), as: UTF8.self)
        let sliced = String("xcaf\u{E9}".dropFirst())
        #expect(bridged.stableHash == composed.stableHash)
        #expect(sliced.stableHash == composed.stableHash)
        #expect("ab".stableHash != "ba".stableHash)
    }

    @Test("10,000 consecutive integers fill all 128 key groups evenly")
    func consecutiveIntegersSpread() {
        let groups = KeyGroups()
        var counts = [Int](repeating: 0, count: 128)
        for i in 0..<10_000 { counts[groups.keyGroup(for: i)] += 1 }
        // 78 expected per group; a fair hash keeps every group within ±50%.
        #expect(counts.min()! >= 39, "least filled group: \(counts.min()!)")
        #expect(counts.max()! <= 117, "most filled group: \(counts.max()!)")
    }

    @Test("10,000 similar strings fill all 128 key groups evenly")
    func similarStringsSpread() {
        let groups = KeyGroups()
        var counts = [Int](repeating: 0, count: 128)
        for i in 0..<10_000 { counts[groups.keyGroup(for: "key\(i)")] += 1 }
        #expect(counts.min()! >= 39, "least filled group: \(counts.min()!)")
        #expect(counts.max()! <= 117, "most filled group: \(counts.max()!)")
    }

    @Test("consecutive integers land in different key groups (the mix spreads low bits)")
    func neighboursSpread() {
        let groups = KeyGroups()
        let firstSixteen = Set((0..<16).map { groups.keyGroup(for: $0) })
        #expect(firstSixteen.count >= 12, "only \(firstSixteen.count) distinct groups")
    }
}
