import Testing
import SluiceState

@Suite struct KeyedStateTableTests {
    /// Random inserts, updates and removals must leave the table equal to a Dictionary.
    @Test(arguments: [1, 7, 42])
    func matchesDictionaryUnderRandomOperations(seed: UInt64) {
        var random = SplitMix(seed: seed)
        var table = KeyedStateTable<Int, Int>()
        var reference: [Int: Int] = [:]
        for _ in 0..<20_000 {
            let key = Int(random.next() % 700)
            if random.next() % 4 == 0 {
                #expect(table.removeValue(forKey: key) == reference.removeValue(forKey: key))
            } else {
                let delta = Int(random.next() % 100)
                table.update(key, default: { 0 }) { $0 += delta }
                reference[key, default: 0] += delta
            }
        }
        #expect(table.count == reference.count)
        var seen: [Int: Int] = [:]
        table.forEach { key, value in seen[key] = value }
        #expect(seen == reference)
        for key in 0..<700 { #expect(table[key] == reference[key]) }
    }

    @Test func copiesAreIndependentSnapshots() {
        var table = KeyedStateTable<String, [Int]>()
        table.update("a", default: { [] }) { $0.append(1) }
        let snapshot = table
        table.update("a", default: { [] }) { $0.append(2) }
        table.update("b", default: { [] }) { $0.append(3) }
        #expect(snapshot["a"] == [1])
        #expect(snapshot["b"] == nil)
        #expect(snapshot.count == 1)
        #expect(table["a"] == [1, 2])
        #expect(table.count == 2)
    }

    @Test func growsPastManyKeysAndKeepsValues() {
        var table = KeyedStateTable<Int64, Int64>(minimumCapacity: 1)
        for key in Int64(0)..<100_000 { table.update(key, default: { 0 }) { $0 = key * 2 } }
        #expect(table.count == 100_000)
        #expect(table[99_999] == 199_998)
        #expect(table[100_000] == nil)
    }

    /// Removing during the pass shifts entries back along their probe cluster, including
    /// clusters that wrap round the end of a shard: every key must still be seen exactly once,
    /// and the survivors must keep their updated values. Small tables are crowded (many wrapping
    /// clusters); the large one is sharded.
    @Test(arguments: [(keys: 12, rounds: 400), (keys: 40, rounds: 100), (keys: 60_000, rounds: 2)])
    func updateOrRemoveEachVisitsEveryKeyOnce(keys: Int, rounds: Int) {
        var random = SplitMix(seed: UInt64(keys))
        for _ in 0..<rounds {
            var table = KeyedStateTable<Int, Int>(minimumCapacity: 1)
            var reference: [Int: Int] = [:]
            for _ in 0..<keys {
                let key = Int(truncatingIfNeeded: random.next() >> 1)
                table.update(key, default: { 0 }) { $0 = key & 0xff }
                reference[key] = key & 0xff
            }
            let snapshot = table
            let before = reference
            var visits: [Int: Int] = [:]
            table.updateOrRemoveEach { key, value in
                visits[key, default: 0] += 1
                value += 1
                return key % 3 != 0
            }
            #expect(visits.count == reference.count && visits.values.allSatisfy { $0 == 1 })
            reference = reference.filter { $0.key % 3 != 0 }.mapValues { $0 + 1 }
            #expect(table.count == reference.count)
            for key in before.keys {
                #expect(table[key] == reference[key])
                #expect(snapshot[key] == before[key], "a copy taken before the pass is untouched")
            }
        }
    }

    @Test func updateReturnsTheBodysResult() {
        var table = KeyedStateTable<Int, Int>()
        let first = table.update(5, default: { 10 }) { value -> Int in value += 1; return value }
        let second = table.update(5, default: { 10 }) { value -> Int in value += 1; return value }
        #expect(first == 11)
        #expect(second == 12)
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
