import Testing
import SluiceCore
import SluiceOperators

private typealias Listed = WindowOutput<Int, WindowTestEvent, String>

private func at(_ time: EventTime, value: Int, key: Int = 1) -> (WindowTestEvent, EventTime) {
    (WindowTestEvent(key: key, id: value, value: value), time)
}

/// Emits the window's values, sorted and joined, and a second value with their count when there
/// are more than two: a process function may emit any number of values.
private func lister(_ assigner: WindowAssigner, lateness: Int64 = 0)
    -> KeyedWindowProcessOperator<Int, WindowTestEvent, String> {
    KeyedWindowProcessOperator(key: \.key, assigner: assigner, allowedLateness: lateness) { key, window, events, out in
        out.append("\(key)@\(window.start):" + events.map(\.value).sorted().map(String.init).joined(separator: ","))
        if events.count > 2 { out.append("\(key)@\(window.start):n=\(events.count)") }
    }
}

private func values(_ emission: WindowTestEmission<Listed>) -> [String] {
    emission.records.compactMap(\.result?.value)
}

@Suite("KeyedWindowProcessOperator")
struct KeyedWindowProcessOperatorTests {
    @Test("tumbling: the function sees all of a key's records in the window and may emit several values")
    func tumbling() throws {
        var op = lister(.tumbling(size: 10))
        let out = try windowTestRun(&op, [
            .records([at(1, value: 3), at(2, value: 1), at(4, value: 2, key: 2), at(9, value: 5), at(11, value: 7)]),
            .watermark(9),
            .end,
        ])
        #expect(Set(values(out[1])) == ["1@0:1,3,5", "1@0:n=3", "2@0:2"])
        #expect(out[1].times == [9, 9, 9])
        #expect(out[1].records.compactMap(\.result?.window) == Array(repeating: Window(start: 0, end: 10), count: 3))
        #expect(values(out[2]) == ["1@10:7"])
        #expect(op.stateSize == 0)
    }

    @Test("sliding: each window gets the records of the panes it covers")
    func sliding() throws {
        var op = lister(.sliding(size: 10, slide: 5))
        let out = try windowTestRun(&op, [.records([at(2, value: 1), at(7, value: 2), at(12, value: 3)]), .watermark(100)])
        #expect(values(out[1]) == ["1@-5:1", "1@0:1,2", "1@5:2,3", "1@10:3"])
    }

    @Test("sessions: merged sessions pass all their records")
    func sessions() throws {
        var op = lister(.session(gap: 10))
        let out = try windowTestRun(&op, [.records([at(0, value: 1), at(15, value: 2), at(8, value: 3)]), .watermark(100)])
        #expect(values(out[1]) == ["1@0:1,2,3", "1@0:n=3"])
        #expect(out[1].records.first?.result?.window == Window(start: 0, end: 25))
    }

    @Test("lateness: a correction calls the function again with all records; a late record is emitted")
    func lateness() throws {
        var op = lister(.tumbling(size: 10), lateness: 5)
        let out = try windowTestRun(&op, [
            .records([at(1, value: 1)]), .watermark(9),
            .records([at(2, value: 2)]), .watermark(14),
            .records([at(3, value: 3)]),
        ])
        #expect(values(out[1]) == ["1@0:1"])
        #expect(values(out[2]) == ["1@0:1,2"])
        #expect(out[4].records == [.late(WindowTestEvent(key: 1, id: 3, value: 3))])
        #expect(op.lateRecords == 1)
    }

    @Test("an error from the function leaves the operator and keeps what was emitted before")
    func throwing() throws {
        struct Refused: Error, Equatable {}
        var op = KeyedWindowProcessOperator<Int, WindowTestEvent, Int>(key: \.key, assigner: .tumbling(size: 10)) { key, _, events, out in
            if key == 2 { throw Refused() }
            out.append(events.count)
        }
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>(records: [.late(WindowTestEvent(key: 0))], times: [0])
        try op.process(Batch(records: [WindowTestEvent(key: 1), WindowTestEvent(key: 2)], times: [1, 15]), into: &output)
        #expect(throws: Refused()) { try op.onWatermark(100, into: &output) }
        #expect(Array(output.records) == [.late(WindowTestEvent(key: 0)), .result(WindowResult(key: 1, window: Window(start: 0, end: 10), value: 1))])
    }

    @Test("processing time works as for the aggregate operator")
    func processingTime() throws {
        var op = KeyedWindowProcessOperator<Int, WindowTestEvent, Int>(key: \.key, assigner: .tumbling(size: 10),
                                                                       timeDomain: .processingTime) { _, _, events, out in
            out.append(events.count)
        }
        let out = try windowTestRun(&op, [.records([at(500, value: 1), at(-3, value: 2)]), .processingTime(10)])
        #expect(out[1].records == [.result(WindowResult(key: 1, window: Window(start: 0, end: 10), value: 2))])
    }
}
