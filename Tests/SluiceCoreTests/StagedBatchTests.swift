import Testing
import SluiceCore

/// `StagedBatch`, runs of records written through pointers: records arrive in order with their
/// times, and every record is freed exactly once, also when a run is abandoned.
@Suite("Staged batches")
struct StagedBatchTests {
    @Test("runs taken when full keep the records' order and times", arguments: [1, 3, 64])
    func takenRuns(capacity: Int) {
        let freed = FreeCounter()
        var staged = StagedBatch<Tracked>(capacity: capacity)
        defer { staged.deallocate() }
        var batches: [Batch<Int>] = []
        var kept: [Tracked] = []
        for i in 0..<200 {
            if staged.isFull { batches.append(staged.take { kept.append($0); return $0.value }) }
            staged.append(Tracked(i, freed: freed), time: EventTime(i * 7))
        }
        batches.append(staged.take { kept.append($0); return $0.value })
        #expect(staged.isEmpty)
        let fullRuns = batches.dropLast().allSatisfy { $0.count == capacity }
        let values: [Int] = batches.flatMap { Array($0.records) }
        let times: [EventTime] = batches.flatMap { Array($0.times) }
        #expect(fullRuns)
        #expect(values == Array(0..<200))
        #expect(times == (0..<200).map { EventTime($0 * 7) })
        #expect(freed.count == 0, "taking moves each record to the transform: none is freed")
        kept.removeAll()
        #expect(freed.count == 200, "each record is freed once")
    }

    @Test("deallocate frees the records still staged, once")
    func deallocateFreesStaged() {
        let freed = FreeCounter()
        var staged = StagedBatch<Tracked>(capacity: 8)
        for i in 0..<5 { staged.append(Tracked(i, freed: freed), time: 0) }
        staged.deallocate()
        #expect(freed.count == 5)
        #expect(staged.isEmpty)
    }

    @Test("a capacity of zero allocates nothing and is always full")
    func zeroCapacity() {
        var staged = StagedBatch<Int>(capacity: 0)
        #expect(staged.isFull && staged.isEmpty)
        #expect(staged.take { $0 }.isEmpty)
        staged.deallocate()
    }
}
