import Testing
import SluiceCore
import SluiceRuntime

@Suite("Watermark alignment")
struct WatermarkAlignmentTests {
    @Test("a member is ahead when its watermark passes the slowest active member's by more than the drift")
    func ahead() {
        let group = WatermarkAlignmentGroup(maxDrift: 100)
        let fast = group.join(), slow = group.join()
        #expect(group.report(fast, watermark: 1_000), "ahead of a member that has read nothing yet")
        #expect(group.isAhead(fast))
        #expect(!group.isAhead(slow), "a member without a watermark is never ahead")
        group.report(slow, watermark: 900)
        #expect(!group.isAhead(fast), "exactly the drift ahead")
        #expect(group.report(fast, watermark: 1_001))
        #expect(!group.report(slow, watermark: 950))
        #expect(!group.isAhead(fast))
        #expect(!group.report(fast, watermark: 1_000), "a watermark never goes back")
        #expect(group.report(fast, watermark: 1_051))
    }

    @Test("idle and finished members hold nobody back; an idle one that comes back does again")
    func idleAndFinished() {
        let group = WatermarkAlignmentGroup(maxDrift: 0)
        let a = group.join(), b = group.join(), c = group.join()
        group.report(a, watermark: 500)
        group.report(b, watermark: 100)
        group.report(c, watermark: 200)
        #expect(group.isAhead(a))
        group.setIdle(b, true)
        #expect(group.isAhead(a), "c is still behind")
        group.leave(c)
        #expect(!group.isAhead(a))
        group.setIdle(b, false)
        #expect(group.isAhead(a))
        group.leave(b)
        #expect(!group.isAhead(a))
        group.setIdle(b, false)
        #expect(!group.isAhead(a), "a member that left stays out")
    }

    /// An assigner of member `member` whose batches of integers carry their value as event time.
    private func assigner(_ group: WatermarkAlignmentGroup, member: Int,
                          into receiver: RecordingReceiver<Int>) -> EventTimeAssigner<Int> {
        EventTimeAssigner(stamp: EventTimeAssigner<Int>.stamper { Int64($0) }, maxOutOfOrderness: 0, idleTimeout: nil,
                          alignment: (group, member), downstream: receiver)
    }

    @Test("an assigner ahead passes its batch on, then returns only once the slowest member catches up")
    func assignerWaits() throws {
        let group = WatermarkAlignmentGroup(maxDrift: 100)
        let fast = group.join(), slow = group.join()
        group.report(slow, watermark: 0)
        let received = RecordingReceiver<Int>()
        let ahead = assigner(group, member: fast, into: received)
        let returned = SharedLog<String>()
        let thread = InstanceThread.start(name: "fast") {
            try? ahead.receive(Batch(records: [50, 500], times: [0, 0]))
            returned.append("returned")
        }
        try #require(group.awaitPause(1))
        #expect(received.events == [.batch([50, 500], [50, 500]), .watermark(499)])
        #expect(returned.all.isEmpty)
        group.report(slow, watermark: 398)
        #expect(group.isAhead(fast), "398 + 100 is still behind 499")
        group.report(slow, watermark: 399)
        thread.join()
        #expect(returned.all == ["returned"])
        #expect(group.pauses == 1)
    }

    @Test("a checkpoint triggered while an assigner waits ends the wait; it waits again once the barrier passed")
    func checkpointEndsWait() throws {
        let injector = BarrierInjector(registry: CheckpointRegistry())
        let group = WatermarkAlignmentGroup(maxDrift: 0, injector: injector)
        let fast = group.join(), slow = group.join()
        group.report(slow, watermark: 0)
        let received = RecordingReceiver<Int>()
        let ahead = assigner(group, member: fast, into: received)
        let thread = InstanceThread.start(name: "fast") {
            try? ahead.receive(Batch(records: [10], times: [0]))
            try? ahead.receiveBarrier(injector.registry.collector(1))
            try? ahead.receive(Batch(records: [20], times: [0]))
        }
        try #require(group.awaitPause(1))
        injector.trigger(1)
        try #require(group.awaitPause(2))
        #expect(received.events == [.batch([10], [10]), .watermark(9), .barrier(1), .batch([20], [20]), .watermark(19)])
        group.leave(slow)
        thread.join()
    }

    @Test("a stop or a failure ends a wait")
    func stopEndsWait() throws {
        for failing in [false, true] {
            let context = ExecutionContext()
            let group = WatermarkAlignmentGroup(maxDrift: 0, context: context)
            context.register(group)
            let fast = group.join(), slow = group.join()
            group.report(slow, watermark: 0)
            let ahead = assigner(group, member: fast, into: RecordingReceiver<Int>())
            let thread = InstanceThread.start(name: "fast") { try? ahead.receive(Batch(records: [10], times: [0])) }
            try #require(group.awaitPause(1))
            if failing { context.fail(Boom()) } else { context.requestStop() }
            // The wait ends although the member is still ahead: the thread finishes.
            thread.join()
            #expect(group.pauses == 1)
        }
    }

    @Test("finishing leaves the group, so the others go on")
    func finishLeaves() throws {
        let group = WatermarkAlignmentGroup(maxDrift: 0)
        let fast = group.join(), slow = group.join()
        let received = RecordingReceiver<Int>()
        let behind = assigner(group, member: slow, into: received)
        group.report(fast, watermark: 100)
        try behind.receive(Batch(records: [5], times: [0]))
        #expect(group.isAhead(fast))
        try behind.finish()
        #expect(!group.isAhead(fast))
    }
}

private struct Boom: Error {}
