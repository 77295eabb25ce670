import Testing
import SluiceCore
@testable import SluiceState

/// The table once it is cut into shards: every operation must behave as on one table, and a
/// snapshot copy must stay as it was however many shards the live table writes to afterwards.
@Suite struct KeyedStateTableShardingTests {
    /// Enough keys to split a table that starts as one shard.
    static let manyKeys = 20_000

    @Test func smallTablesAreOneShardAndLargeOnesSplit() {
        var table = KeyedStateTable<Int, Int>()
        #expect(!table.isSharded)
        for key in 0..<100 { table.update(key, default: { 0 }) { $0 = key } }
        #expect(!table.isSharded)
        for key in 100..<Self.manyKeys { table.update(key, default: { 0 }) { $0 = key } }
        #expect(table.isSharded)
        #expect(table.count == Self.manyKeys)
        for key in 0..<Self.manyKeys { #expect(table[key] == key) }
        #expect(KeyedStateTable<Int, Int>(minimumCapacity: 1_000_000).isSharded)
    }

    @Test func snapshotCopyStaysIndependentOfWritesToEveryShard() {
        var table = KeyedStateTable<Int, [Int]>()
        for key in 0..<Self.manyKeys { table.update(key, default: { [] }) { $0.append(key) } }
        #expect(table.isSharded)
        let snapshot = table
        for key in stride(from: 0, to: Self.manyKeys, by: 3) { table.update(key, default: { [] }) { $0.append(-1) } }
        for key in stride(from: 1, to: Self.manyKeys, by: 3) { table.removeValue(forKey: key) }
        for key in Self.manyKeys..<(Self.manyKeys + 5_000) { table.update(key, default: { [] }) { $0.append(key) } }

        #expect(snapshot.count == Self.manyKeys)
        var seen = 0
        snapshot.forEach { key, value in
            #expect(value == [key])
            seen += 1
        }
        #expect(seen == Self.manyKeys)
        #expect(snapshot[Self.manyKeys] == nil)

        #expect(table.count == Self.manyKeys - (Self.manyKeys + 1) / 3 + 5_000)
        #expect(table[0] == [0, -1])
        #expect(table[1] == nil)
        #expect(table[2] == [2])
        #expect(table[Self.manyKeys + 1] == [Self.manyKeys + 1])
    }

    @Test func snapshotOfASingleShardSurvivesTheSplit() {
        var table = KeyedStateTable<Int, Int>()
        for key in 0..<100 { table.update(key, default: { 0 }) { $0 = key } }
        let snapshot = table
        for key in 0..<Self.manyKeys { table.update(key, default: { 0 }) { $0 = -key } }
        #expect(!snapshot.isSharded)
        #expect(snapshot.count == 100)
        for key in 0..<100 { #expect(snapshot[key] == key) }
        #expect(table.isSharded)
        for key in 0..<Self.manyKeys { #expect(table[key] == -key) }
    }

    /// Keys that all land in one shard fill it well past its share, growing it alone, and
    /// removing them one by one shifts its probe chains back.
    @Test func oneCrowdedShardGrowsAndRemovesWithBackwardShift() {
        var table = KeyedStateTable<CollidingKey, Int>(minimumCapacity: 100_000)
        #expect(table.isSharded)
        let keys = (0..<5_000).map { CollidingKey(id: $0) }
        for key in keys { table.update(key, default: { 0 }) { $0 = key.id } }
        #expect(table.count == keys.count)
        var random = SplitMix(seed: 3)
        var present = Set(keys)
        for key in keys.shuffled(using: &random) {
            #expect(table.removeValue(forKey: key) == key.id)
            present.remove(key)
            if present.count % 997 == 0 {
                for other in keys { #expect(table[other] == (present.contains(other) ? other.id : nil)) }
            }
        }
        #expect(table.isEmpty)
    }

    /// Random operations on a sharded table against a Dictionary, snapshots taken along the way
    /// checked against the Dictionary's value at the time.
    @Test(arguments: [5, 11])
    func matchesDictionaryWithSnapshotsAlongTheWay(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var table = KeyedStateTable<Int64, Int64>()
        var reference: [Int64: Int64] = [:]
        var snapshots: [(KeyedStateTable<Int64, Int64>, [Int64: Int64])] = []
        for step in 0..<60_000 {
            let key = Int64(random.next() % 30_000)
            if random.next() % 5 == 0 {
                #expect(table.removeValue(forKey: key) == reference.removeValue(forKey: key))
            } else {
                let delta = Int64(random.next() % 100)
                table.update(key, default: { 0 }) { $0 += delta }
                reference[key, default: 0] += delta
            }
            if step % 15_000 == 14_999 { snapshots.append((table, reference)) }
        }
        #expect(table.isSharded)
        for (snapshot, expected) in snapshots + [(table, reference)] {
            #expect(snapshot.count == expected.count)
            var seen: [Int64: Int64] = [:]
            snapshot.forEach { key, value in seen[key] = value }
            #expect(seen == expected)
        }
    }

    @Test func serializedRoundTripOfAShardedTable() throws {
        var table = KeyedStateTable<Int64, String>()
        for key in Int64(0)..<Int64(Self.manyKeys) { table.update(key, default: { "" }) { $0 = "v\(key)" } }
        #expect(table.isSharded)
        let (bytes, records) = try table.serialized()
        #expect(records == Self.manyKeys)

        var restored = KeyedStateTable<Int64, String>()
        try restored.restore(from: bytes, keeping: 0..<KeyGroups.defaultMaxParallelism, map: KeyGroups())
        #expect(restored.isSharded)
        #expect(restored.count == Self.manyKeys)
        for key in Int64(0)..<Int64(Self.manyKeys) { #expect(restored[key] == "v\(key)") }

        // Two instances' halves of the key groups together hold every key once.
        var lower = KeyedStateTable<Int64, String>(), upper = KeyedStateTable<Int64, String>()
        try lower.restore(from: bytes, keeping: 0..<64, map: KeyGroups())
        try upper.restore(from: bytes, keeping: 64..<KeyGroups.defaultMaxParallelism, map: KeyGroups())
        #expect(lower.count + upper.count == Self.manyKeys)
        #expect(lower.count > 0 && upper.count > 0)
    }

    @Test func reserveCapacityOfAShardedTableKeepsSnapshotsIntact() {
        var table = KeyedStateTable<Int, Int>()
        for key in 0..<Self.manyKeys { table.update(key, default: { 0 }) { $0 = key } }
        let snapshot = table
        table.reserveCapacity(200_000)
        for key in 0..<Self.manyKeys { table.update(key, default: { 0 }) { $0 += 1 } }
        for key in 0..<Self.manyKeys {
            #expect(snapshot[key] == key)
            #expect(table[key] == key + 1)
        }
    }
}

/// A key whose hash puts every key in the same shard (bits 57–62 zero) and spreads them by the
/// low bits that pick the slot inside it.
struct CollidingKey: PartitionKey {
    var id: Int
    var stableHash: UInt64 { UInt64(id) &* 0x9E37_79B9 & ((1 << 57) - 1) }
}

extension SplitMix: RandomNumberGenerator {}
