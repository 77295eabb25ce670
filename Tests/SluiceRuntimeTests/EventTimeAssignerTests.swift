import Testing
import SluiceCore
import SluiceRuntime

/// Records the calls an assigner makes downstream.
final class IdleRecorder: BatchReceiver {
    var events: [String] = []
    func receive(_ batch: Batch<Int>) throws { events.append("batch \(Array(batch.times))") }
    func receiveWatermark(_ watermark: EventTime) throws { events.append("watermark \(watermark)") }
    func receiveIdle(_ idle: Bool) throws { events.append(idle ? "idle" : "active") }
    func tick(_ now: Int64) throws {}
    func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
    func finish() throws { events.append("finish") }
}

@Suite("Event time assigner")
struct EventTimeAssignerTests {
    func assigner(idleTimeout: Int64?, into recorder: IdleRecorder) -> EventTimeAssigner<Int> {
        EventTimeAssigner(stamp: EventTimeAssigner<Int>.stamper { Int64($0) }, maxOutOfOrderness: 5,
                          idleTimeout: idleTimeout, downstream: recorder)
    }

    @Test("stamps times and trails the largest by the out-of-orderness")
    func watermarks() throws {
        let recorder = IdleRecorder()
        let stamping = assigner(idleTimeout: nil, into: recorder)
        try stamping.receive(Batch(records: [10, 30, 20], times: [0, 0, 0]))
        try stamping.receive(Batch(records: [25], times: [0]))
        try stamping.finish()
        #expect(recorder.events == ["batch [10, 30, 20]", "watermark 24", "batch [25]", "watermark \(EventTime.endOfTime)", "finish"])
    }

    @Test("times within the out-of-orderness of the smallest time give no watermark, rather than one wrapped around")
    func noWrapAround() throws {
        let recorder = IdleRecorder()
        let stamping = assigner(idleTimeout: nil, into: recorder)
        try stamping.receive(Batch(records: [Int.min + 3], times: [0]))
        try stamping.receive(Batch(records: [Int.min + 5], times: [0]))
        try stamping.receive(Batch(records: [Int.min + 7], times: [0]))
        #expect(recorder.events.filter { $0.hasPrefix("watermark") } == ["watermark \(Int64.min + 1)"])
    }

    @Test("an input without records for the idle timeout declares itself idle, and active again on its next record")
    func idleness() throws {
        let recorder = IdleRecorder()
        let stamping = assigner(idleTimeout: 1000, into: recorder)
        try stamping.receive(Batch(records: [100], times: [0]))
        try stamping.tick(10_000)
        try stamping.tick(10_500)
        #expect(!recorder.events.contains("idle"))
        try stamping.tick(11_000)
        #expect(recorder.events.last == "idle")
        try stamping.tick(20_000)
        #expect(recorder.events.filter { $0 == "idle" }.count == 1)
        try stamping.receive(Batch(records: [200], times: [0]))
        #expect(recorder.events.suffix(3) == ["active", "batch [200]", "watermark 194"])
    }

    @Test("an idle input stops holding the merged watermark back")
    func mergerIgnoresIdleInputs() {
        var merger = WatermarkMerger(inputs: 2)
        #expect(merger.advance(input: 0, to: 50) == nil)
        #expect(merger.setIdle(input: 1, true) == 50)
        #expect(merger.advance(input: 0, to: 60) == 60)
        #expect(merger.advance(input: 1, to: 40) == nil)
        #expect(merger.advance(input: 1, to: 70) == nil)
        #expect(merger.advance(input: 0, to: 80) == 70)
    }
}
