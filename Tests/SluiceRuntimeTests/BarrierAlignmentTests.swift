import Testing
import SluiceCore
import SluiceRuntime

@Suite("Barrier alignment")
struct BarrierAlignmentTests {
    @Test("a channel that delivered the barrier is blocked until every open channel has")
    func blocksUntilAligned() {
        var alignment = BarrierAlignment(channels: 3)
        #expect(alignment.barrier(4, from: 1) == nil)
        #expect(alignment.blocked == [1])
        #expect(alignment.barrier(4, from: 0) == nil)
        #expect(alignment.blocked == [0, 1])
        #expect(alignment.barrier(4, from: 2) == 4)
        #expect(alignment.blocked.isEmpty)
    }

    @Test("an ended channel does not hold the alignment back")
    func endedChannelsCount() {
        var alignment = BarrierAlignment(channels: 3)
        #expect(alignment.end(2) == nil)
        #expect(alignment.barrier(1, from: 0) == nil)
        #expect(alignment.barrier(1, from: 1) == 1)
        // Later barriers only wait for the channels still open.
        #expect(alignment.barrier(2, from: 1) == nil)
        #expect(alignment.end(0) == 2)
    }

    @Test("a gate reader passes a barrier once, after the records before it on every channel")
    func gateReaderAligns() throws {
        let gate = InputGate<Int>(channels: 2, capacity: 8)
        let receiver = RecordingReceiver<Int>()
        gate.put(.batch(Batch(records: [1], times: [0])), channel: 0)
        gate.put(.barrier(7), channel: 0)
        gate.put(.batch(Batch(records: [2], times: [0])), channel: 0)   // after the barrier: held back
        gate.put(.batch(Batch(records: [3], times: [0])), channel: 1)
        gate.put(.barrier(7), channel: 1)
        gate.put(.end, channel: 0)
        gate.put(.end, channel: 1)
        try GateReader(gate: gate, downstream: receiver).run()
        let events = receiver.events
        let barrier = try #require(events.firstIndex(of: .barrier(7)))
        let one = try #require(events.firstIndex(of: .batch([1], [0])))
        let two = try #require(events.firstIndex(of: .batch([2], [0])))
        let three = try #require(events.firstIndex(of: .batch([3], [0])))
        #expect(one < barrier && three < barrier && barrier < two)
        #expect(events.filter { $0 == .barrier(7) }.count == 1)
    }
}
