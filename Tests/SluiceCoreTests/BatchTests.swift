import Testing
import SluiceCore

@Suite("Batch")
struct BatchTests {
    @Test("append keeps records and times aligned")
    func appendKeepsAlignment() {
        var batch = Batch<String>()
        #expect(batch.isEmpty)
        batch.append("a", time: 10)
        batch.append("b", time: .noTime)
        batch.append("c", time: 30)
        #expect(batch.count == 3)
        #expect(!batch.isEmpty)
        #expect(Array(batch.records) == ["a", "b", "c"])
        #expect(Array(batch.times) == [10, .noTime, 30])
    }

    @Test("a batch written in place holds the records written, with their times")
    func writtenInPlace() {
        let written = Batch<String>(capacity: 10) { records, times, written in
            for i in 0..<4 {
                (records + written).initialize(to: "r\(i)")
                times[written] = EventTime(i * 5)
                written += 1
            }
        }
        #expect(Array(written.records) == ["r0", "r1", "r2", "r3"])
        #expect(Array(written.times) == [0, 5, 10, 15])
        #expect(Batch<String>(capacity: 0) { _, _, _ in }.isEmpty)
    }

    @Test("appending an empty batch keeps the storage held for reuse")
    func appendEmptyKeepsStorage() {
        var batch = Batch<Int>(capacity: 64)
        batch.append(contentsOf: Batch())
        #expect(batch.records.capacity >= 64 && batch.times.capacity >= 64)
        batch.append(1, time: 1)
        batch.append(contentsOf: Batch())
        #expect(Array(batch.records) == [1] && Array(batch.times) == [1])
    }

    @Test("removeAll empties the batch and keeps its storage")
    func removeAllKeepsCapacity() {
        var batch = Batch<Int>(capacity: 100)
        for i in 0..<100 { batch.append(i, time: EventTime(i)) }
        let recordCapacity = batch.records.capacity
        let timeCapacity = batch.times.capacity
        batch.removeAll()
        #expect(batch.count == 0)
        #expect(batch.isEmpty)
        #expect(batch.times.isEmpty)
        #expect(batch.records.capacity == recordCapacity)
        #expect(batch.times.capacity == timeCapacity)
        batch.append(7, time: 70)
        #expect(Array(batch.records) == [7])
        #expect(Array(batch.times) == [70])
    }

    @Test("a copy is independent of the original (value semantics across threads)")
    func copiesAreIndependent() {
        var original = Batch<Int>(records: [1, 2], times: [10, 20])
        let copy = original
        original.append(3, time: 30)
        original.removeAll()
        #expect(Array(copy.records) == [1, 2])
        #expect(Array(copy.times) == [10, 20])
    }

    @Test("special times order below and above every real time")
    func specialTimes() {
        #expect(EventTime.noTime < 0)
        #expect(EventTime.noTime < EventTime(Int64.min + 1))
        #expect(EventTime.endOfTime > 1_700_000_000_000)
    }
}
