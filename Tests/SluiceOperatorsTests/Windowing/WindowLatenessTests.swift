import Testing
import SluiceCore
import SluiceOperators

private typealias Summed = WindowOutput<Int, WindowTestEvent, Int>

private func summer(_ assigner: WindowAssigner, lateness: Int64)
    -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Sum<WindowTestEvent, Int>> {
    KeyedWindowAggregateOperator(key: \.key, assigner: assigner, aggregator: Sum(\.value), allowedLateness: lateness)
}

private func at(_ time: EventTime, value: Int, key: Int = 1) -> (WindowTestEvent, EventTime) {
    (WindowTestEvent(key: key, id: value, value: value), time)
}

@Suite("Allowed lateness")
struct WindowLatenessTests {
    @Test("fire, corrections within lateness, cleanup, then late output")
    func tumbling() throws {
        var op = summer(.tumbling(size: 10), lateness: 5)
        let out = try windowTestRun(&op, [
            .records([at(3, value: 1)]),
            .watermark(9),                 // fires [0, 10) = 1
            .records([at(4, value: 2)]),   // correction: 3
            .watermark(13),
            .records([at(5, value: 4)]),   // correction: 7
            .watermark(14),                // 9 + 5: state freed
            .records([at(6, value: 8), at(15, value: 16)]),
        ])
        #expect(out[1].records == [windowTestResult(1, 0, 10, 1)])
        #expect(out[2].records == [windowTestResult(1, 0, 10, 3)])
        #expect(out[2].times == [9])
        #expect(out[3].records.isEmpty)
        #expect(out[4].records == [windowTestResult(1, 0, 10, 7)])
        #expect(out[5].records.isEmpty)
        #expect(out[6].records == [.late(WindowTestEvent(key: 1, id: 8, value: 8))])
        #expect(out[6].times == [6], "a late record keeps its own event time")
        #expect(op.lateRecords == 1)
        #expect(op.stateSize == 1, "only the pane of [10, 20) is left")
    }

    @Test("without lateness a window's state is freed when it fires; a record for it is late")
    func zeroLateness() throws {
        var op = summer(.tumbling(size: 10), lateness: 0)
        let out = try windowTestRun(&op, [.records([at(3, value: 1)]), .watermark(9), .records([at(9, value: 2)])])
        #expect(op.stateSize == 0)
        #expect(out[2].records == [.late(WindowTestEvent(key: 1, id: 2, value: 2))])
    }

    @Test("a record at the watermark whose window has not ended is on time")
    func recordAtWatermark() throws {
        var op = summer(.tumbling(size: 10), lateness: 0)
        let out = try windowTestRun(&op, [.watermark(5), .records([at(5, value: 1), at(3, value: 2)]), .watermark(9)])
        #expect(out[1].records.isEmpty)
        #expect(out[2].records == [windowTestResult(1, 0, 10, 3)])
    }

    @Test("sliding: a record only updates the windows still within lateness")
    func slidingPartiallyLate() throws {
        var op = summer(.sliding(size: 10, slide: 5), lateness: 0)
        let out = try windowTestRun(&op, [
            .records([at(6, value: 1)]),
            .watermark(9),                // fires [0, 10) = 1, frees it
            .records([at(7, value: 2)]),  // [0, 10) is gone; [5, 15) takes it
            .watermark(14),
        ])
        #expect(out[1].records == [windowTestResult(1, 0, 10, 1)])
        #expect(out[2].records.isEmpty)
        #expect(out[3].records == [windowTestResult(1, 5, 15, 3)])
        #expect(op.lateRecords == 0)
    }

    @Test("sliding: corrections of several fired windows come out in end order")
    func slidingCorrections() throws {
        var op = summer(.sliding(size: 10, slide: 5), lateness: 20)
        let out = try windowTestRun(&op, [
            .records([at(7, value: 1)]),
            .watermark(20),
            .records([at(8, value: 2)]),
        ])
        #expect(out[1].records == [windowTestResult(1, 0, 10, 1), windowTestResult(1, 5, 15, 1)])
        #expect(out[2].records == [windowTestResult(1, 0, 10, 3), windowTestResult(1, 5, 15, 3)])
        #expect(out[2].times == [9, 14])
    }

    @Test("sessions: a record inside a fired session corrects it at once; a record whose own window is past lateness is late")
    func sessionCorrection() throws {
        var op = summer(.session(gap: 10), lateness: 5)
        let out = try windowTestRun(&op, [
            .records([at(0, value: 1), at(8, value: 2)]),
            .watermark(17),                 // fires [0, 18) = 3
            .records([at(8, value: 4)]),    // inside: [0, 18) = 7 at once
            .watermark(22),                 // 17 + 5: freed
            .records([at(4, value: 8)]),    // 4 + 9 + 5 = 18 <= 22: late
        ])
        // The rule looks at the record's own window, not at the session it would join: at
        // watermark 17 a record at 3 (3 + 9 + 5 = 17) is late although [0, 18) is still kept.
        var other = summer(.session(gap: 10), lateness: 5)
        let early = try windowTestRun(&other, [.records([at(0, value: 1), at(8, value: 2)]), .watermark(17), .records([at(3, value: 4)])])
        #expect(early[2].records == [.late(WindowTestEvent(key: 1, id: 4, value: 4))])
        #expect(out[1].records == [windowTestResult(1, 0, 18, 3)])
        #expect(out[2].records == [windowTestResult(1, 0, 18, 7)])
        #expect(out[4].records == [.late(WindowTestEvent(key: 1, id: 8, value: 8))])
        #expect(op.stateSize == 0)
    }

    @Test("sessions: a late-ish record that extends a fired session makes a longer session that fires later")
    func sessionExtension() throws {
        var op = summer(.session(gap: 10), lateness: 5)
        let out = try windowTestRun(&op, [
            .records([at(0, value: 1)]),
            .watermark(9),                  // fires [0, 10)
            .records([at(2, value: 2)]),    // -> [0, 12), not yet complete
            .watermark(11),
        ])
        #expect(out[1].records == [windowTestResult(1, 0, 10, 1)])
        #expect(out[2].records.isEmpty)
        #expect(out[3].records == [windowTestResult(1, 0, 12, 3)])
    }

    @Test("sessions: a record is late when its own window is past lateness")
    func sessionLate() throws {
        var op = summer(.session(gap: 10), lateness: 5)
        let out = try windowTestRun(&op, [
            .watermark(100),
            .records([at(86, value: 1), at(87, value: 2)]),   // 86 + 9 + 5 = 100: late; 87: on time
        ])
        #expect(out[1].records == [.late(WindowTestEvent(key: 1, id: 1, value: 1)), windowTestResult(1, 87, 97, 2)])
        #expect(op.lateRecords == 1)
    }
}
