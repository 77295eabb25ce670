import Testing
import SluiceCore
import SluiceOperators

private typealias Counted = WindowOutput<Int, WindowTestEvent, Int>

private func counter(_ assigner: WindowAssigner, lateness: Int64 = 0)
    -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Count<WindowTestEvent>> {
    KeyedWindowAggregateOperator(key: \.key, assigner: assigner, aggregator: Count(), allowedLateness: lateness)
}

private func summer(_ assigner: WindowAssigner, lateness: Int64 = 0)
    -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Sum<WindowTestEvent, Int>> {
    KeyedWindowAggregateOperator(key: \.key, assigner: assigner, aggregator: Sum(\.value), allowedLateness: lateness)
}

/// A record of `key` with `value`, at `time`.
private func at(_ time: EventTime, key: Int = 1, value: Int = 1) -> (WindowTestEvent, EventTime) {
    (WindowTestEvent(key: key, id: Int(time), value: value), time)
}

@Suite("KeyedWindowAggregateOperator: event time")
struct KeyedWindowAggregateOperatorTests {
    @Test("tumbling: a window fires when the watermark reaches its last millisecond, once")
    func tumbling() throws {
        var op = counter(.tumbling(size: 10))
        let out = try windowTestRun(&op, [
            .records([at(1), at(5), at(3, key: 2), at(12)]),
            .watermark(8),
            .watermark(9),
            .watermark(9),
            .records([at(15)]),
            .watermark(25),
            .end,
        ])
        #expect(out[1].records.isEmpty)
        #expect(windowTestMultiset(out[2].records) == windowTestMultiset([windowTestResult(1, 0, 10, 2), windowTestResult(2, 0, 10, 1)] as [Counted]))
        #expect(out[2].times == [9, 9])
        #expect(out[3].records.isEmpty)
        #expect(out[5].records == [windowTestResult(1, 10, 20, 2)])
        #expect(out[5].times == [19])
        #expect(out[6].records.isEmpty)
        #expect(op.stateSize == 0)
    }

    @Test("sliding: each window merges the panes it covers")
    func sliding() throws {
        var op = summer(.sliding(size: 10, slide: 5))
        let out = try windowTestRun(&op, [
            .records([at(2, value: 1), at(7, value: 10), at(12, value: 100)]),
            .watermark(4), .watermark(9), .watermark(14), .watermark(19), .watermark(100),
        ])
        #expect(out[1].records == [windowTestResult(1, -5, 5, 1)])
        #expect(out[2].records == [windowTestResult(1, 0, 10, 11)])
        #expect(out[3].records == [windowTestResult(1, 5, 15, 110)])
        #expect(out[4].records == [windowTestResult(1, 10, 20, 100)])
        #expect(out[5].records.isEmpty)
        #expect(op.stateSize == 0)
    }

    @Test("sliding: a record updates one pane accumulator, however many windows hold it")
    func slidingPanes() throws {
        var op = counter(.sliding(size: 10_000, slide: 1_000))
        var output = Batch<Counted>()
        try op.process(Batch(records: [WindowTestEvent(key: 1), WindowTestEvent(key: 1), WindowTestEvent(key: 2)],
                             times: [100, 900, 1_500]), into: &output)
        #expect(op.stateSize == 2, "key 1 has one pane [0, 1000), key 2 one pane [1000, 2000)")
        try op.onWatermark(.endOfTime, into: &output)
        #expect(output.records.count == 20, "each record's pane is in 10 windows")
        #expect(op.stateSize == 0)
    }

    @Test("sliding with a slide that does not divide the size uses panes of gcd(size, slide)")
    func slidingUneven() throws {
        var op = counter(.sliding(size: 12, slide: 8))
        let out = try windowTestRun(&op, [.records([at(1), at(9), at(13)]), .watermark(.endOfTime)])
        #expect(out[1].records == [windowTestResult(1, -8, 4, 1), windowTestResult(1, 0, 12, 2), windowTestResult(1, 8, 20, 2)])
    }

    @Test("one watermark fires several windows in window end order, over keys")
    func fireOrder() throws {
        var op = counter(.sliding(size: 10, slide: 5))
        let out = try windowTestRun(&op, [
            .records([at(17, key: 3), at(2, key: 1), at(12, key: 2), at(6, key: 1)]),
            .watermark(100),
        ])
        let windows = out[1].records.compactMap(\.result?.window)
        #expect(windows == windows.sorted())
        #expect(out[1].times == out[1].times.sorted())
        #expect(windowTestMultiset(out[1].records) == windowTestMultiset([
            windowTestResult(1, -5, 5, 1), windowTestResult(1, 0, 10, 2), windowTestResult(1, 5, 15, 1),
            windowTestResult(2, 5, 15, 1), windowTestResult(2, 10, 20, 1),
            windowTestResult(3, 10, 20, 1), windowTestResult(3, 15, 25, 1),
        ] as [Counted]))
    }

    @Test("sessions: records closer than the gap share a session; exactly the gap apart they do not")
    func sessions() throws {
        var op = counter(.session(gap: 10))
        let out = try windowTestRun(&op, [
            .records([at(0), at(5), at(8, key: 2), at(30), at(40)]),
            .watermark(14), .watermark(17), .watermark(49),
        ])
        #expect(out[1].records == [windowTestResult(1, 0, 15, 2)])
        #expect(out[2].records == [windowTestResult(2, 8, 18, 1)])
        #expect(out[3].records == [windowTestResult(1, 30, 40, 1), windowTestResult(1, 40, 50, 1)])
        #expect(op.stateSize == 0)
    }

    @Test("sessions: a record bridging sessions merges their accumulators")
    func sessionBridge() throws {
        var op = summer(.session(gap: 10))
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>()
        try op.process(Batch(records: [WindowTestEvent(key: 1, value: 1), WindowTestEvent(key: 1, value: 10),
                                       WindowTestEvent(key: 1, value: 100)], times: [50, 65, 80]), into: &output)
        #expect(op.stateSize == 3)
        try op.process(Batch(records: [WindowTestEvent(key: 1, value: 1000)], times: [58]), into: &output)
        #expect(op.stateSize == 2, "[50, 60) and [65, 75) merged through [58, 68)")
        try op.process(Batch(records: [WindowTestEvent(key: 1, value: 5)], times: [72]), into: &output)
        #expect(op.stateSize == 1, "[50, 75) and [80, 90) merged through [72, 82)")
        try op.onWatermark(88, into: &output)
        #expect(output.isEmpty)
        try op.onWatermark(89, into: &output)
        #expect(Array(output.records) == [windowTestResult(1, 50, 90, 1116)])
        #expect(Array(output.times) == [89])
    }

    @Test("end of input fires every pending window and frees all state",
          arguments: [WindowAssigner.tumbling(size: 10), .sliding(size: 10, slide: 5), .session(gap: 10)])
    func endOfInput(assigner: WindowAssigner) throws {
        var op = counter(assigner)
        let out = try windowTestRun(&op, [.records([at(3), at(42, key: 2)]), .end])
        let expected = WindowTestReference.allWindows(of: [at(3), at(42, key: 2)], assigner: assigner)
        #expect(windowTestMultiset(out[1].records.compactMap(\.result).map { "\($0.key)\($0.window)\($0.value)" })
            == windowTestMultiset(expected.map { "\($0.key)\($0.window)\($0.value.count)" }))
        #expect(op.stateSize == 0)
        #expect(op.pendingTimers == 0)
    }

    @Test("after the final watermark, onEnd emits nothing more")
    func endAfterFinalWatermark() throws {
        var op = counter(.tumbling(size: 10))
        let out = try windowTestRun(&op, [.records([at(3)]), .watermark(.endOfTime), .end])
        #expect(out[1].records == [windowTestResult(1, 0, 10, 1)])
        #expect(out[2].records.isEmpty)
    }

    @Test("negative event times are windowed like any other")
    func negativeTimes() throws {
        var op = counter(.tumbling(size: 10))
        let out = try windowTestRun(&op, [.records([at(-1), at(-10), at(-11)]), .watermark(-1)])
        #expect(out[1].records == [windowTestResult(1, -20, -10, 1), windowTestResult(1, -10, 0, 2)])
    }

    @Test("output already in the batch is kept; a watermark going back does nothing")
    func appendsAndMonotonic() throws {
        var op = counter(.tumbling(size: 10))
        var output = Batch<Counted>(records: [.late(WindowTestEvent(key: 9))], times: [-1])
        try op.process(Batch(records: [WindowTestEvent(key: 1)], times: [5]), into: &output)
        try op.onWatermark(20, into: &output)
        try op.onWatermark(5, into: &output)
        #expect(Array(output.records) == [.late(WindowTestEvent(key: 9)), windowTestResult(1, 0, 10, 1)])
        #expect(op.watermark == 20)
    }

    @Test("a record without an event time stops the operator with a clear error")
    func missingEventTime() throws {
        var op = counter(.tumbling(size: 10))
        var output = Batch<Counted>()
        #expect(throws: WindowingError.missingEventTime) {
            try op.process(Batch(records: [WindowTestEvent(key: 1)], times: [.noTime]), into: &output)
        }
        #expect(WindowingError.missingEventTime.description.contains("withEventTime"))
    }
}
