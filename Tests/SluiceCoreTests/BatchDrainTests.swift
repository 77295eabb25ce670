import Testing
import SluiceCore

/// `Batch.drain`: records moved out in order, with their times, and never copied when the batch
/// alone holds them.
@Suite("Batch.drain")
struct BatchDrainTests {
    struct Record {
        var tracked: Tracked
        var label: String
    }

    struct Failure: Error {}

    private func records(_ count: Int, freed: FreeCounter) -> Batch<Record> {
        var batch = Batch<Record>()
        for i in 0..<count { batch.append(Record(tracked: Tracked(i, freed: freed), label: "record \(i)"), time: EventTime(i * 10)) }
        return batch
    }

    @Test("results keep their records' order and times", arguments: [0, 1, 7, 1024])
    func orderAndTimes(count: Int) {
        let freed = FreeCounter()
        var batch = records(count, freed: freed)
        let values = batch.drain { (record: consuming Record) -> Int in record.tracked.value * 3 }
        #expect(Array(values.records) == (0..<count).map { $0 * 3 })
        #expect(Array(values.times) == (0..<count).map { EventTime($0 * 10) })
        #expect(batch.isEmpty && batch.times.isEmpty)
        #expect(freed.count == count, "every record is freed once")
    }

    @Test("a batch that holds its storage alone hands each record over without a copy")
    func movesRecords() {
        let freed = FreeCounter()
        var batch = records(100, freed: freed)
        var unshared = 0
        let kept = batch.drain { (record: consuming Record) -> Record in
            var taken = consume record
            if isKnownUniquelyReferenced(&taken.tracked) { unshared += 1 }
            return taken
        }
        #expect(unshared == 100)
        #expect(kept.records.map(\.tracked.value) == Array(0..<100))
        #expect(kept.records.map(\.label) == (0..<100).map { "record \($0)" })
        #expect(freed.count == 0)
    }

    @Test("draining a batch whose storage is shared copies the records and leaves the other copy whole")
    func sharedStorage() {
        let freed = FreeCounter()
        var batch = records(10, freed: freed)
        let other = batch
        var unshared = 0
        let labels = batch.drain { (record: consuming Record) -> String in
            var taken = consume record
            if isKnownUniquelyReferenced(&taken.tracked) { unshared += 1 }
            return taken.label
        }
        #expect(unshared == 0)
        #expect(Array(labels.records) == (0..<10).map { "record \($0)" })
        #expect(other.records.map(\.tracked.value) == Array(0..<10))
        #expect(Array(other.times) == (0..<10).map { EventTime($0 * 10) })
        #expect(freed.count == 0, "the other copy still holds every record")
    }

    @Test("a transform that throws frees the results made so far and the records not yet taken",
          arguments: [0, 3, 9])
    func throwingTransform(failAt: Int) {
        let freed = FreeCounter()
        var batch = records(10, freed: freed)
        #expect(throws: Failure.self) {
            _ = try batch.drain { (record: consuming Record) -> Record in
                // Records come off the end: record `failAt` is reached after 9 - failAt others.
                if record.tracked.value == failAt { throw Failure() }
                return record
            }
        }
        #expect(batch.isEmpty && batch.times.isEmpty)
        #expect(freed.count == 10)
    }

    @Test("append(contentsOf:) takes an empty batch's place, and appends to one that has records")
    func appendContents() {
        let freed = FreeCounter()
        var empty = Batch<Record>()
        empty.append(contentsOf: records(3, freed: freed))
        #expect(empty.records.map(\.tracked.value) == [0, 1, 2] && Array(empty.times) == [0, 10, 20])
        empty.append(contentsOf: records(2, freed: freed))
        #expect(empty.records.map(\.tracked.value) == [0, 1, 2, 0, 1] && Array(empty.times) == [0, 10, 20, 0, 10])
    }
}
