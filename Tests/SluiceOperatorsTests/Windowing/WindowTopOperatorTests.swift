import Testing
import SluiceCore
import SluiceOperators

private typealias Row = WindowResult<Int, Int>

private func row(_ key: Int, _ count: Int, window start: EventTime = 0, size: Int64 = 10) -> Row {
    WindowResult(key: key, window: Window(start: start, end: start + size), value: count)
}

private func rows(_ rows: Row...) -> WindowTestStep<Row> {
    .records(rows.map { ($0, $0.window.maxTimestamp) })
}

private func top(_ selection: WindowTopSelection) -> WindowTopOperator<Row> {
    WindowTopOperator(window: \.window, by: { $0.value < $1.value }, selection: selection)
}

@Suite("WindowTopOperator")
struct WindowTopOperatorTests {
    @Test("top(n): the n greatest of each window, greatest first, when the watermark reaches it")
    func topN() throws {
        var op = top(.top(2))
        let out = try windowTestRun(&op, [
            rows(row(1, 5), row(2, 9), row(3, 7), row(4, 1), row(5, 7, window: 10)),
            .watermark(8),
            .watermark(9),
            .end,
        ])
        #expect(out[1].records.isEmpty)
        #expect(out[2].records == [.selected(row(2, 9)), .selected(row(3, 7))])
        #expect(out[2].times == [9, 9])
        #expect(out[3].records == [.selected(row(5, 7, window: 10))])
        #expect(op.stateSize == 0)
    }

    @Test("top(n): among equal records the earlier arrival ranks first")
    func topTies() throws {
        var op = top(.top(2))
        let out = try windowTestRun(&op, [rows(row(1, 4), row(2, 4), row(3, 4), row(4, 3)), .end])
        #expect(out[1].records == [.selected(row(1, 4)), .selected(row(2, 4))])
    }

    @Test("allMaximal: every record equal to the window's maximum, ties kept, in arrival order")
    func allMaximal() throws {
        var op = top(.allMaximal)
        let out = try windowTestRun(&op, [
            rows(row(1, 3), row(2, 5), row(3, 1)),
            rows(row(4, 5), row(5, 2), row(6, 5), row(7, 4, window: 10)),
            .watermark(100),
        ])
        #expect(out[2].records == [.selected(row(2, 5)), .selected(row(4, 5)), .selected(row(6, 5)), .selected(row(7, 4, window: 10))])
        #expect(op.stateSize == 0)
    }

    @Test("allMaximal keeps only the current maximal records")
    func allMaximalState() throws {
        var op = top(.allMaximal)
        _ = try windowTestRun(&op, [rows(row(1, 1), row(2, 1), row(3, 2), row(4, 0))])
        #expect(op.stateSize == 1)
        #expect(op.openWindows == 1)
    }

    @Test("windows fired by one watermark come out in end order")
    func windowOrder() throws {
        var op = top(.top(1))
        let out = try windowTestRun(&op, [
            rows(row(1, 1, window: 20), row(2, 1, window: 0), row(3, 1, window: 10), row(4, 1, window: 5, size: 10)),
            .watermark(29),
        ])
        #expect(out[1].records.compactMap(\.selected?.window.start) == [0, 5, 10, 20])
        #expect(out[1].times == [9, 14, 19, 29])
    }

    @Test("a record for a window that already fired is emitted as late and counted")
    func late() throws {
        var op = top(.top(3))
        let out = try windowTestRun(&op, [rows(row(1, 1)), .watermark(9), rows(row(2, 8), row(3, 2, window: 10)), .watermark(19)])
        #expect(out[2].records == [.late(row(2, 8))])
        #expect(op.lateRecords == 1)
        #expect(out[3].records == [.selected(row(3, 2, window: 10))])
    }
}
