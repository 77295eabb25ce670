import Testing
import SluiceCore

@Suite("KeyGroups")
struct KeyGroupsTests {
    @Test("the ranges of all instances partition 0..<max, for every parallelism", arguments: [1, 2, 3, 7, 128, 1000])
    func rangesPartitionAllKeyGroups(maxParallelism: Int) {
        let groups = KeyGroups(maxParallelism: maxParallelism)
        for p in 1...maxParallelism {
            var next = 0
            var sizes: [Int] = []
            for i in 0..<p {
                let range = groups.range(instance: i, of: p)
                #expect(range.lowerBound == next, "p=\(p) instance \(i) starts at \(range.lowerBound), expected \(next)")
                #expect(!range.isEmpty, "p=\(p) instance \(i) owns no key group")
                next = range.upperBound
                sizes.append(range.count)
            }
            #expect(next == maxParallelism, "p=\(p): ranges end at \(next)")
            // Contiguous ranges of equal size up to one.
            #expect(sizes.max()! - sizes.min()! <= 1, "p=\(p): sizes \(sizes)")
        }
    }

    @Test("a hash's key group is its remainder by maxParallelism, whether that is a power of two or not",
          arguments: [1, 2, 3, 7, 64, 100, 128, 1000, 4096])
    func keyGroupIsTheRemainder(maxParallelism: Int) {
        let groups = KeyGroups(maxParallelism: maxParallelism)
        var hashes: [UInt64] = [0, 1, 127, 128, 129, UInt64.max, UInt64.max - 1, 1 << 63, (1 << 63) + 5]
        var next: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1000 {
            next = stableMix(next)
            hashes.append(next)
        }
        for hash in hashes {
            #expect(groups.keyGroup(forHash: hash) == Int(hash % UInt64(maxParallelism)), "hash \(hash)")
        }
    }

    @Test("owner(ofKeyGroup:) and ownerTable agree with range", arguments: [1, 5, 128])
    func ownerAgreesWithRange(maxParallelism: Int) {
        let groups = KeyGroups(maxParallelism: maxParallelism)
        for p in 1...maxParallelism {
            var expected = [Int](repeating: -1, count: maxParallelism)
            for i in 0..<p {
                for keyGroup in groups.range(instance: i, of: p) { expected[keyGroup] = i }
            }
            let owners = (0..<maxParallelism).map { groups.owner(ofKeyGroup: $0, parallelism: p) }
            #expect(owners == expected, "p=\(p)")
            #expect(groups.ownerTable(parallelism: p) == expected, "p=\(p)")
        }
    }

    @Test("known ranges for the default of 128 key groups")
    func knownRanges() {
        let groups = KeyGroups()
        #expect(groups.maxParallelism == 128)
        #expect(groups.range(instance: 0, of: 1) == 0..<128)
        #expect(groups.range(instance: 0, of: 3) == 0..<43)
        #expect(groups.range(instance: 1, of: 3) == 43..<86)
        #expect(groups.range(instance: 2, of: 3) == 86..<128)
        #expect(groups.range(instance: 4, of: 5) == 103..<128)
        #expect(groups.range(instance: 127, of: 128) == 127..<128)
        #expect(groups.owner(ofKeyGroup: 42, parallelism: 3) == 0)
        #expect(groups.owner(ofKeyGroup: 43, parallelism: 3) == 1)
        #expect(groups.owner(ofKeyGroup: 127, parallelism: 3) == 2)
    }

    @Test("keyGroup is the hash modulo maxParallelism")
    func keyGroupOfHash() {
        let groups = KeyGroups(maxParallelism: 10)
        #expect(groups.keyGroup(forHash: 0) == 0)
        #expect(groups.keyGroup(forHash: 9) == 9)
        #expect(groups.keyGroup(forHash: 10) == 0)
        #expect(groups.keyGroup(forHash: UInt64.max) == Int(UInt64.max % 10))
        #expect(groups.keyGroup(for: "auction") == Int("auction".stableHash % 10))
        #expect(KeyGroups().keyGroup(for: 1) == 44)
        #expect(KeyGroups().keyGroup(for: "auction") == 91)
    }
}
