import Testing
import SluiceCore
@testable import SluiceRuntime

/// An `ExchangeWriter` that holds records back for fuller batches: what it sends, and when.
/// `maxNanos` is a day in these tests, so only counts and signals end the holding.
@Suite("ExchangeWriter holding")
struct ExchangeHoldingTests {
    private let holdFour = ExchangeHolding(records: 4, maxNanos: 86_400_000_000_000)

    private func gates(_ count: Int) -> [InputGate<Int>] {
        (0..<count).map { _ in InputGate<Int>(channels: 1, capacity: 64) }
    }

    /// Everything the gate holds now, without waiting.
    private func takeAll(_ gate: InputGate<Int>) -> [StreamElement<Int>] {
        var taken: [StreamElement<Int>] = []
        while case .element(_, let element) = gate.take(timeoutNanos: 0) { taken.append(element) }
        return taken
    }

    @Test("records are held until a consumer has enough, then go out as one batch with their times")
    func heldUntilFull() throws {
        let consumers = gates(1)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .forward, holding: holdFour)
        try writer.receive(batch([1, 2], times: [10, 20]))
        #expect(takeAll(consumers[0]).isEmpty)
        try writer.receive(batch([3, 4, 5], times: [30, 40, 50]))
        let taken = takeAll(consumers[0])
        #expect(taken.compactMap(\.records) == [[1, 2, 3, 4, 5]])
        #expect(taken.compactMap(\.times) == [[10, 20, 30, 40, 50]])
    }

    @Test("a watermark behind held records waits for them and follows them; alone it goes at once")
    func watermarkFollowsHeldRecords() throws {
        let consumers = gates(2)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .rebalance, holding: holdFour)
        try writer.receiveWatermark(5)
        for gate in consumers { #expect(takeAll(gate).compactMap(\.watermark) == [5]) }

        try writer.receive(batch([1]))        // to consumer 0
        try writer.receiveWatermark(7)
        try writer.receive(batch([2]))        // to consumer 1
        try writer.receiveWatermark(9)
        for gate in consumers { #expect(takeAll(gate).isEmpty) }

        try writer.inputDrained()
        let atZero = takeAll(consumers[0]), atOne = takeAll(consumers[1])
        #expect(atZero.compactMap(\.records) == [[1]] && atZero.last?.watermark == 9)
        #expect(atOne.compactMap(\.records) == [[2]] && atOne.last?.watermark == 9)
        #expect(atZero.count == 2 && atOne.count == 2, "only the latest held watermark is sent")
    }

    @Test("ticks, idleness, barriers and the end send what is held first")
    func signalsSendHeldRecords() throws {
        let consumers = gates(1)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .forward, holding: holdFour)
        try writer.receive(batch([1]))
        try writer.tick(0)
        #expect(takeAll(consumers[0]).compactMap(\.records) == [[1]])

        try writer.receive(batch([2]))
        try writer.receiveIdle(true)
        let afterIdle = takeAll(consumers[0])
        #expect(afterIdle.first?.records == [2] && afterIdle.count == 2)

        try writer.receive(batch([3]))
        try writer.receiveBarrier(AbandonedCheckpoint(checkpointID: 1))
        let afterBarrier = takeAll(consumers[0])
        #expect(afterBarrier.first?.records == [3] && afterBarrier.count == 2)

        try writer.receive(batch([4]))
        try writer.finish()
        let atEnd = takeAll(consumers[0])
        #expect(atEnd.first?.records == [4] && atEnd.last?.isEnd == true)
    }

    @Test("hash routing holds each consumer's share apart: every record arrives once, in order, with its time",
          arguments: [1, 2, 3])
    func hashRoutingHoldsPerConsumer(consumerCount: Int) throws {
        let keyGroups = KeyGroups()
        let consumers = gates(consumerCount)
        let writer = ExchangeWriter(gates: consumers, producer: 0,
                                    routing: .hash(keyGroups: keyGroups, hash: { UInt64($0 % 10).stableHash }),
                                    holding: ExchangeHolding(records: 25, maxNanos: holdFour.maxNanos))
        // Parts that are empty when a batch comes are written in place, the others appended to.
        for b in 0..<20 {
            let records = Array(b * 7..<(b + 1) * 7)
            try writer.receive(batch(records, times: records.map { EventTime($0) * 10 + 3 }))
        }
        try writer.finish()
        var received: [Int] = []
        for (consumer, gate) in consumers.enumerated() {
            let taken = takeAll(gate)
            #expect(taken.last?.isEnd == true)
            for element in taken where element.records != nil {
                #expect(element.times! == element.records!.map { EventTime($0) * 10 + 3 }, "a record lost its time")
            }
            for part in taken.compactMap(\.records) {
                #expect(part.count >= 25 || part == taken.compactMap(\.records).last!, "only the last part may be short")
                for record in part {
                    let owner = keyGroups.owner(ofKeyGroup: keyGroups.keyGroup(forHash: UInt64(record % 10).stableHash),
                                                parallelism: consumerCount)
                    #expect(owner == consumer)
                }
            }
            received += taken.compactMap(\.records).flatMap { $0 }
        }
        #expect(received.sorted() == Array(0..<140))
        for key in 0..<10 {
            let ofKey = received.filter { $0 % 10 == key }
            #expect(ofKey == ofKey.sorted(), "key \(key) out of order")
        }
    }

    @Test("without holding every part goes at once")
    func noHolding() throws {
        let consumers = gates(1)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .forward, holding: .none)
        try writer.receive(batch([1]))
        try writer.receiveWatermark(3)
        let taken = takeAll(consumers[0])
        #expect(taken.first?.records == [1] && taken.last?.watermark == 3)
    }
}
