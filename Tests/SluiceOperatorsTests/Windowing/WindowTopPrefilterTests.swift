import Testing
import SluiceCore
import SluiceOperators

private typealias Row = WindowResult<Int, Int>

/// The prefilter must never change what the top operator selects: random batches of results
/// (few distinct values, so many ties; several windows per batch) give the same selection with
/// and without it.
@Suite("WindowTopPrefilter")
struct WindowTopPrefilterTests {
    static let selections: [WindowTopSelection] = [.top(1), .top(3), .allMaximal]

    @Test("top operator after the prefilter selects what it selects alone", arguments: selections, [UInt64(1), 2, 3])
    func sameSelection(selection: WindowTopSelection, seed: UInt64) throws {
        var rng = SnapshotTestRandom(seed: seed)
        let order: @Sendable (Row, Row) -> Bool = { $0.value < $1.value }
        var alone = WindowTopOperator<Row>(window: { $0.window }, by: order, selection: selection)
        var filtered = WindowTopOperator<Row>(window: { $0.window }, by: order, selection: selection)
        var prefilter = WindowTopPrefilter(for: filtered)
        var key = 0
        var selectedAlone: [WindowTopOutput<Row>] = [], selectedFiltered: [WindowTopOutput<Row>] = []
        var passed = 0, offered = 0
        for step in 0..<40 {
            var batch = Batch<Row>(capacity: 64)
            for _ in 0..<Int.random(in: 1...64, using: &rng) {
                let start = EventTime(step / 4 * 10 + Int.random(in: 0...2, using: &rng) * 10)
                key += 1
                let result = Row(key: key, window: Window(start: start, end: start + 10), value: Int.random(in: 0...5, using: &rng))
                batch.append(result, time: result.window.maxTimestamp)
            }
            offered += batch.count
            var direct = Batch<WindowTopOutput<Row>>(capacity: 64)
            try alone.process(batch, into: &direct)
            var candidates = Batch<Row>(capacity: 64)
            try prefilter.process(batch, into: &candidates)
            passed += candidates.count
            var viaFilter = Batch<WindowTopOutput<Row>>(capacity: 64)
            try filtered.process(candidates, into: &viaFilter)
            if step % 4 == 3 {
                try alone.onWatermark(EventTime(step / 4 * 10 + 9), into: &direct)
                try filtered.onWatermark(EventTime(step / 4 * 10 + 9), into: &viaFilter)
            }
            selectedAlone += direct.records.filter { $0.selected != nil }
            selectedFiltered += viaFilter.records.filter { $0.selected != nil }
        }
        var endAlone = Batch<WindowTopOutput<Row>>(capacity: 64), endFiltered = Batch<WindowTopOutput<Row>>(capacity: 64)
        try alone.onEnd(into: &endAlone)
        try filtered.onEnd(into: &endFiltered)
        selectedAlone += endAlone.records.filter { $0.selected != nil }
        selectedFiltered += endFiltered.records.filter { $0.selected != nil }
        #expect(selectedFiltered == selectedAlone)
        #expect(!selectedAlone.isEmpty)
        #expect(passed < offered)
    }

    @Test("survivors keep their order and times")
    func order() throws {
        var prefilter = WindowTopPrefilter(for: WindowTopOperator<Row>(window: { $0.window }, by: { $0.value < $1.value }, selection: .allMaximal))
        var batch = Batch<Row>(capacity: 8)
        let w1 = Window(start: 0, end: 10), w2 = Window(start: 10, end: 20)
        for (key, window, value) in [(1, w1, 3), (2, w2, 1), (3, w1, 5), (4, w2, 1), (5, w1, 5), (6, w2, 0)] {
            batch.append(Row(key: key, window: window, value: value), time: EventTime(key))
        }
        var out = Batch<Row>(capacity: 8)
        try prefilter.process(batch, into: &out)
        #expect(out.records.map(\.key) == [2, 3, 4, 5])
        #expect(out.times == [2, 3, 4, 5])
    }
}
