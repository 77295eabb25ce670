import Testing
import SluiceCore

/// `Batch.compactMapped`: the non-nil results in order with their records' times, and the
/// results made before a throw freed.
@Suite("Batch.compactMapped")
struct BatchCompactMappedTests {
    struct Failure: Error {}

    @Test("keeps the non-nil results with their records' times",
          arguments: [0, 1, 2, 1000])
    func compactMappedKeeps(count: Int) {
        var batch = Batch<Int>()
        for i in 0..<count { batch.append(i, time: EventTime(1_000 + i)) }
        let oddIndices = (0..<count).filter { $0 % 2 == 1 }
        let odd = batch.compactMapped { (i: Int) -> String? in i % 2 == 1 ? "n\(i)" : nil }
        let expectedNames: [String] = oddIndices.map { "n\($0)" }
        let expectedTimes: [EventTime] = oddIndices.map { EventTime(1_000 + $0) }
        #expect(Array(odd.records) == expectedNames)
        #expect(Array(odd.times) == expectedTimes)
        let all = batch.compactMapped { (i: Int) -> Int? in i * 2 }
        let doubled: [Int] = (0..<count).map { $0 * 2 }
        #expect(Array(all.records) == doubled)
        #expect(all.times == batch.times)
        let none = batch.compactMapped { (_: Int) -> Int? in nil }
        #expect(none.isEmpty)
    }

    @Test("frees the results made before a throw")
    func compactMappedThrows() {
        let freed = FreeCounter()
        var batch = Batch<Int>()
        for i in 0..<50 { batch.append(i, time: EventTime(i)) }
        #expect(throws: Failure.self) {
            _ = try batch.compactMapped { (i: Int) throws -> Tracked? in
                if i == 30 { throw Failure() }
                return i % 3 == 0 ? Tracked(i, freed: freed) : nil
            }
        }
        #expect(freed.count == 10, "the ten results made before the throw are freed")
    }
}
