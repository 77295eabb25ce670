import Testing
import SluiceCore
import SluiceRuntime

/// Records of the hash-routing tests: a key and a per-key sequence number.
private struct Keyed: Equatable {
    var key: Int
    var seq: Int
}

@Suite("ExchangeWriter")
struct ExchangeWriterTests {
    private func gates<Record>(_ count: Int, channels: Int = 4) -> [InputGate<Record>] {
        (0..<count).map { _ in InputGate<Record>(channels: channels, capacity: 256) }
    }

    @Test("forward: producer i writes to consumer i % consumers, on channel i")
    func forward() throws {
        let consumers: [InputGate<Int>] = gates(2)
        let writer = ExchangeWriter(gates: consumers, producer: 3, routing: .forward)
        try writer.receive(batch([1, 2]))
        try writer.receive(batch([3]))
        try writer.finish()
        let atOne = drain(consumers[1], count: 3)
        #expect(atOne.map { $0.channel } == [3, 3, 3])
        #expect(atOne.compactMap { $0.element.records } == [[1, 2], [3]])
        #expect(atOne[2].element.isEnd)
        // Consumer 0 only gets the end.
        let atZero = drain(consumers[0], count: 1)
        #expect(atZero.count == 1 && atZero[0].element.isEnd)
    }

    @Test("rebalance: whole batches go round-robin, starting at the producer's index")
    func rebalance() throws {
        let consumers: [InputGate<Int>] = gates(3)
        let writer = ExchangeWriter(gates: consumers, producer: 1, routing: .rebalance)
        for i in 0..<7 { try writer.receive(batch([i, i])) }
        let received = consumers.map { gate in
            drain(gate, count: gate === consumers[1] ? 3 : 2).compactMap { $0.element.records }
        }
        #expect(received[1] == [[0, 0], [3, 3], [6, 6]])
        #expect(received[2] == [[1, 1], [4, 4]])
        #expect(received[0] == [[2, 2], [5, 5]])
    }

    @Test("broadcast: every consumer gets every batch", arguments: [1, 2, 4])
    func broadcast(consumerCount: Int) throws {
        let consumers: [InputGate<Int>] = gates(consumerCount)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .broadcast)
        try writer.receive(batch([1, 2], times: [10, 20]))
        try writer.receive(batch([3], times: [30]))
        for gate in consumers {
            let taken = drain(gate, count: 2)
            #expect(taken.compactMap { $0.element.records } == [[1, 2], [3]])
            #expect(taken.compactMap { $0.element.times } == [[10, 20], [30]])
        }
    }

    @Test("empty batches are not sent")
    func emptyBatchesDropped() throws {
        for routing: Routing<Int> in [.forward, .rebalance, .broadcast, .hash(keyGroups: KeyGroups(), hash: { $0.stableHash })] {
            let consumers: [InputGate<Int>] = gates(2)
            let writer = ExchangeWriter(gates: consumers, producer: 0, routing: routing)
            try writer.receive(Batch())
            try writer.finish()
            for gate in consumers { #expect(gate.take()?.element.isEnd == true) }
        }
    }

    @Test("hash: every record lands at the owner of its key group, in per-key order, with its time",
          arguments: [1, 2, 3, 4, 7])
    func hashRouting(consumerCount: Int) throws {
        let keyGroups = KeyGroups()
        let consumers: [InputGate<Keyed>] = gates(consumerCount)
        let writer = ExchangeWriter(gates: consumers, producer: 2, routing: .hash(keyGroups: keyGroups, hash: { $0.key.stableHash }))
        var sent: [Keyed] = []
        var nextSeq: [Int: Int] = [:]
        for b in 0..<20 {
            var records: [Keyed] = []
            for j in 0..<50 {
                let key = (b * 37 + j * 11) % 200
                records.append(Keyed(key: key, seq: nextSeq[key, default: 0]))
                nextSeq[key, default: 0] += 1
            }
            sent += records
            try writer.receive(batch(records, times: records.map { EventTime($0.key * 1000 + $0.seq) }))
        }
        try writer.finish()

        var received: [Keyed] = []
        for (consumer, gate) in consumers.enumerated() {
            while let (channel, element) = gate.take() {
                #expect(channel == 2)
                if element.isEnd { break }
                let records = element.records!
                #expect(element.times! == records.map { EventTime($0.key * 1000 + $0.seq) }, "times travel with their records")
                for record in records {
                    let owner = keyGroups.owner(ofKeyGroup: keyGroups.keyGroup(for: record.key), parallelism: consumerCount)
                    #expect(owner == consumer, "key \(record.key) at consumer \(consumer), owner \(owner)")
                }
                received += records
            }
        }
        #expect(received.count == sent.count)
        for key in Set(sent.map(\.key)) {
            let seqs = received.filter { $0.key == key }.map(\.seq)
            #expect(seqs == Array(0..<nextSeq[key]!), "key \(key) out of order")
        }
    }

    @Test("watermarks and the end go to every consumer, whatever the routing")
    func controlToAll() throws {
        let routings: [Routing<Int>] = [.forward, .rebalance, .broadcast, .hash(keyGroups: KeyGroups(), hash: { UInt64($0) })]
        for routing in routings {
            let consumers: [InputGate<Int>] = gates(3)
            let writer = ExchangeWriter(gates: consumers, producer: 0, routing: routing)
            try writer.receiveWatermark(42)
            try writer.receiveWatermark(.endOfTime)
            try writer.finish()
            for gate in consumers {
                let taken = drain(gate, count: 3).map { $0.element }
                #expect(taken.count == 3)
                #expect(taken.compactMap(\.watermark) == [42, .endOfTime])
                #expect(taken.last?.isEnd == true)
            }
        }
    }

    @Test("writing to a cancelled gate throws CancelledError")
    func cancelledGateThrows() throws {
        let consumers: [InputGate<Int>] = gates(2)
        let writer = ExchangeWriter(gates: consumers, producer: 0, routing: .broadcast)
        consumers[1].cancel()
        #expect(throws: CancelledError.self) { try writer.receive(batch([1])) }
        #expect(throws: CancelledError.self) { try writer.receiveWatermark(1) }
        #expect(throws: CancelledError.self) { try writer.finish() }
    }

    @Test("a writer freed while it holds records frees them; what it sent stays in the gates")
    func freesWhatItHolds() throws {
        let live = LiveRecords()
        let gates: [InputGate<LiveRecord>] = gates(2)
        do {
            let writer = ExchangeWriter(gates: gates, producer: 0, routing: .rebalance,
                                        holding: ExchangeHolding(records: 10, maxNanos: 86_400_000_000_000))
            try writer.receive(live.batch(12))
            try writer.receive(live.batch(3))
            #expect(live.alive == 15)
        }
        #expect(live.alive == 12, "the held batch of 3 is freed with the writer; the batch of 12 was sent")
        #expect(gates[0].take()?.element.records?.count == 12)
    }
}
