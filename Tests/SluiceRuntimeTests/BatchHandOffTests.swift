import Testing
import SluiceCore
import SluiceOperators
import SluiceRuntime

/// Batches go down a fused chain as the only reference to their storage, so that `map`,
/// `compactMap` and `filter` move records on instead of copying them.
@Suite("Batches handed down a chain")
struct BatchHandOffTests {
    final class Token {}

    /// Counts the records it receives that nothing else holds.
    final class UniquenessProbe: BatchReceiver {
        var seen = 0
        var unshared = 0

        func receive(_ batch: consuming Batch<Token>) throws {
            var batch = consume batch
            _ = batch.drain { (token: consuming Token) -> Int in
                var token = consume token
                seen += 1
                if isKnownUniquelyReferenced(&token) { unshared += 1 }
                return 0
            }
        }

        func receiveWatermark(_ watermark: EventTime) throws {}
        func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
        func finish() throws {}
    }

    private func tokens(_ count: Int) -> Batch<Token> {
        var batch = Batch<Token>()
        for i in 0..<count { batch.append(Token(), time: EventTime(i)) }
        return batch
    }

    @Test("a map takes each record out of its batch; records leave map, filter and compactMap steps unshared")
    func fusedSteps() throws {
        let probe = UniquenessProbe()
        let compactMap = OperatorReceiver(CompactMapOperator<Token, Token> { $0 }, downstream: probe)
        let filter = OperatorReceiver(FilterOperator<Token> { _ in true }, downstream: compactMap)
        var movedInMap = 0
        let map = OperatorReceiver(MapOperator<Token, Token> { (token: consuming Token) in
            var token = consume token
            if isKnownUniquelyReferenced(&token) { movedInMap += 1 }
            return token
        }, downstream: filter)
        try map.receive(tokens(50))
        #expect(movedInMap == 50)
        #expect(probe.seen == 50)
        #expect(probe.unshared == 50)
    }

    @Test("an output's earlier receivers get copies; the last gets the batch itself")
    func outputFanOut() throws {
        let first = UniquenessProbe(), last = UniquenessProbe()
        let output = Output<Token>()
        output.connect(first)
        output.connect(last)
        try output.receive(tokens(20))
        #expect(first.seen == 20 && first.unshared == 0, "the first receiver's records are shared with the last's")
        #expect(last.seen == 20 && last.unshared == 20, "once the first is done, the last holds the only references")
    }

    @Test("a gate reader hands on the batches it takes unshared")
    func gateReader() throws {
        let gate = InputGate<Token>(channels: 1, capacity: 4)
        let probe = UniquenessProbe()
        gate.put(.batch(tokens(30)), channel: 0)
        gate.put(.end, channel: 0)
        try GateReader(gate: gate, downstream: probe).run()
        #expect(probe.seen == 30 && probe.unshared == 30)
    }
}
