import Testing
import SluiceCore
@testable import SluiceOperators

/// The two layouts of tumbling and sliding window state, by pane (`PaneColumnStore`) and by key
/// (`PaneWindowStore`): the moves between them and the key slots of the layout by pane.
@Suite("Window state laid out by pane and by key")
struct PaneLayoutTests {
    typealias Operator = KeyedWindowAggregateOperator<Int, WindowTestEvent, WindowTestIDs>

    static func makeOperator(_ assigner: WindowAssigner, lateness: Int64 = 0, layout: PaneLayout) -> Operator {
        KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: assigner,
                                     aggregator: WindowTestIDs(), allowedLateness: lateness, paneLayout: layout)
    }

    /// What each step emitted, as multisets: the layouts agree on which results a step emits, not
    /// on the order of the keys within a window.
    static func stepResults(_ emissions: [WindowTestEmission<Operator.Output>]) -> [[WindowResult<Int, [Int]>: Int]] {
        emissions.map { windowTestMultiset($0.records.compactMap(\.result)) }
    }

    @Test("a record too far from the live panes moves the state to the layout by key, mid-stream")
    func farRecordMovesToLayoutByKey() throws {
        // 10 ms windows every 2 ms: five panes a window, so the columns span at most 24 ms.
        let assigner = WindowAssigner.sliding(size: 10, slide: 2)
        var records = (0..<60).map { (WindowTestEvent(key: $0 % 7, id: $0), EventTime($0 / 3)) }
        var steps: [WindowTestStep<WindowTestEvent>] = [.records(records), .watermark(9)]
        // Still within the span: the state stays laid out by pane.
        let near = [(WindowTestEvent(key: 3, id: 60), EventTime(22))]
        // 500 ms ahead of the rest: too far for columns.
        let far = [(WindowTestEvent(key: 4, id: 61), EventTime(520)), (WindowTestEvent(key: 5, id: 62), EventTime(25))]
        records += near + far
        steps += [.records(near)]
        var op = Self.makeOperator(assigner, layout: .byPane)
        _ = try windowTestRun(&op, steps)
        #expect(op.store.columns != nil, "records within the span keep the layout by pane")

        let rest: [WindowTestStep<WindowTestEvent>] = [.records(far), .watermark(40), .watermark(.endOfTime), .end]
        let emissions = try windowTestRun(&op, rest)
        #expect(op.store.columns == nil && op.store.panes != nil, "the far record moved the state to the layout by key")
        var byKey = Self.makeOperator(assigner, layout: .byKey)
        _ = try windowTestRun(&byKey, steps)
        #expect(Self.stepResults(emissions) == Self.stepResults(try windowTestRun(&byKey, rest)))

        var whole = Self.makeOperator(assigner, layout: .byPane)
        let all = try windowTestRun(&whole, steps + rest).flatMap { $0.records.compactMap(\.result) }
        #expect(windowTestMultiset(all) == windowTestMultiset(WindowTestReference.allWindows(of: records, assigner: assigner)))
        #expect(op.stateSize == 0 && whole.stateSize == 0)
    }

    /// Keys come in groups that each live for a while, leave, and come back: slots are handed
    /// back when a key's last pane is freed, retired a few per record, and taken up again, so the
    /// columns stay as large as the keys live at once, not as all keys ever seen.
    @Test("keys that leave give their slots back; keys that come back get their results right", arguments: [
        WindowAssigner.sliding(size: 40, slide: 10), .tumbling(size: 25),
    ])
    func slotsAreReused(assigner: WindowAssigner) throws {
        var steps: [WindowTestStep<WindowTestEvent>] = []
        var id = 0
        for period in 0..<40 {
            // 60 keys at a time out of 600; a period is 50 ms, longer than a window.
            let group = period % 10
            var batch: [(WindowTestEvent, EventTime)] = []
            for time in stride(from: EventTime(period * 50), to: EventTime(period * 50 + 50), by: 5) {
                for key in 0..<60 where (key + Int(time)) % 3 == 0 {
                    batch.append((WindowTestEvent(key: group * 60 + key, id: id), time))
                    id += 1
                }
                // A key of an earlier group, back while its slot may still be retiring.
                if time % 20 == 0 { batch.append((WindowTestEvent(key: ((group + 9) % 10) * 60 + Int(time) % 60, id: id), time)); id += 1 }
            }
            steps.append(.records(batch))
            steps.append(.watermark(EventTime(period * 50 + 45)))
        }
        steps += [.watermark(.endOfTime), .end]

        var byPane = Self.makeOperator(assigner, layout: .byPane)
        var byKey = Self.makeOperator(assigner, layout: .byKey)
        var largest = 0
        var emissions: [WindowTestEmission<Operator.Output>] = []
        for step in steps {
            emissions += try windowTestRun(&byPane, [step])
            largest = max(largest, byPane.store.columns?.capacity ?? .max)
        }
        #expect(Self.stepResults(emissions) == Self.stepResults(try windowTestRun(&byKey, steps)))
        #expect(largest <= 256, "the columns hold the keys live at once (two groups and a few more), not all 600 seen")
        #expect(byPane.stateSize == 0 && byPane.pendingTimers == 0)
    }

    /// Records mostly fall in the pane of the record before them, which the layout by pane
    /// remembers with its column; a record for an earlier pane that has no column yet inserts
    /// one before it, and the next record of the remembered pane must still find its own.
    @Test("a pane opened before the last record's, mid-batch, keeps the records of both apart",
          arguments: [WindowAssigner.tumbling(size: 10), .sliding(size: 20, slide: 10)])
    func earlierPaneMidBatch(assigner: WindowAssigner) throws {
        let times: [EventTime] = [25, 26, 5, 27, 6, 15, 28, 3, 29]
        let records = times.enumerated().map { (WindowTestEvent(key: $0.offset % 2, id: $0.offset), $0.element) }
        var op = Self.makeOperator(assigner, layout: .byPane)
        let emitted = try windowTestRun(&op, [.records(records), .watermark(.endOfTime), .end])
        #expect(op.store.columns == nil || op.stateSize == 0)
        #expect(windowTestMultiset(emitted.flatMap { $0.records.compactMap(\.result) })
                == windowTestMultiset(WindowTestReference.allWindows(of: records, assigner: assigner)))
    }

    /// A snapshot of either layout restores into either: both write the same format.
    @Test("a snapshot taken in one layout restores into the other", arguments: PaneLayout.allCases, PaneLayout.allCases)
    func snapshotsCrossLayouts(saved: PaneLayout, restored: PaneLayout) throws {
        let assigner = WindowAssigner.sliding(size: 12, slide: 4)
        let steps = windowTestRandomSteps(seed: 31, records: 600, keys: 20, maxOutOfOrder: 5, lateFraction: 0.1, lateExtra: 40)
        let cut = steps.count / 2
        func make(_ layout: PaneLayout) -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Count<WindowTestEvent>> {
            KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: assigner,
                                         aggregator: Count<WindowTestEvent>(), allowedLateness: 6, paneLayout: layout)
        }
        var original = make(saved)
        _ = try windowTestRun(&original, Array(steps[..<cut]))
        let (bytes, entries) = try original.snapshot().serialize()
        #expect(entries > 0)
        let expected = try windowTestRun(&original, Array(steps[cut...]))

        var copy = make(restored)
        try copy.restore(RestoredState(blobs: [bytes], keyGroups: 0..<128, keyGroupMap: KeyGroups(maxParallelism: 128)))
        #expect((copy.store.columns != nil) == (restored == .byPane), "the restored state keeps the layout asked for")
        let actual = try windowTestRun(&copy, Array(steps[cut...]))
        #expect(actual.map { windowTestMultiset($0.records.compactMap(\.result)) }
                == expected.map { windowTestMultiset($0.records.compactMap(\.result)) })
        #expect(actual.flatMap { $0.records.compactMap(\.lateRecord) } == expected.flatMap { $0.records.compactMap(\.lateRecord) })
        #expect(!expected.flatMap { $0.records.compactMap(\.lateRecord) }.isEmpty, "the input has late records after the cut")
    }

    @Test("after a burst of keys the columns shrink to the keys left", arguments: [1, 3])
    func columnsShrink(stayingKeys: Int) throws {
        var op = Self.makeOperator(.sliding(size: 20, slide: 10), layout: .byPane)
        var steps: [WindowTestStep<WindowTestEvent>] = []
        // 10,000 keys in the first 10 ms, then a few keys for a while.
        steps.append(.records((0..<10_000).map { (WindowTestEvent(key: $0, id: $0), EventTime($0 % 10)) }))
        for period in 1..<8 {
            let time = EventTime(period * 10)
            steps.append(.records((0..<stayingKeys).map { (WindowTestEvent(key: 20_000 + $0, id: 10_000 + period * 10 + $0), time) }))
            steps.append(.watermark(time + 9))
        }
        var peak = 0
        var emissions: [WindowTestEmission<Operator.Output>] = []
        for step in steps {
            emissions += try windowTestRun(&op, [step])
            peak = max(peak, op.store.columns!.capacity)
        }
        #expect(peak >= 10_000)
        #expect(op.store.columns!.capacity <= 64, "the columns hold the keys left, not the burst")
        #expect(op.store.columns!.keyCount == stayingKeys)
        var byKey = Self.makeOperator(.sliding(size: 20, slide: 10), layout: .byKey)
        #expect(Self.stepResults(emissions) == Self.stepResults(try windowTestRun(&byKey, steps)))
        let rest = try windowTestRun(&op, [.watermark(.endOfTime), .end])
        #expect(Self.stepResults(rest) == Self.stepResults(try windowTestRun(&byKey, [.watermark(.endOfTime), .end])))
        #expect(op.stateSize == 0)
    }

    /// Counts the `Held` values alive.
    final class Tracker {
        var live = 0
    }

    /// A value that says when it is made and freed.
    final class Held {
        let tracker: Tracker
        init(_ tracker: Tracker) {
            self.tracker = tracker
            tracker.live += 1
        }
        deinit { tracker.live -= 1 }
    }

    /// Keeps a `Held` per record: an accumulator that holds memory.
    struct Holding: Aggregator {
        let tracker: Tracker
        func makeAccumulator() -> [Held] { [] }
        func add(_ input: WindowTestEvent, to held: inout [Held]) { held.append(Held(tracker)) }
        func result(_ held: [Held]) -> Int { held.count }
        func merge(_ other: [Held], into held: inout [Held]) { held += other }
    }

    @Test("a column reused for a new pane lets go of what its old accumulators held")
    func reusedColumnLetsGo() throws {
        let tracker = Tracker()
        var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: .tumbling(size: 10),
                                              aggregator: Holding(tracker: tracker), paneLayout: .byPane)
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>()
        let firstPane = (0..<50).map { (WindowTestEvent(key: $0, id: $0), EventTime($0 % 10)) }
        try op.process(Batch(records: ContiguousArray(firstPane.map(\.0) + [WindowTestEvent(key: 99, id: 50)]),
                             times: ContiguousArray(firstPane.map(\.1) + [12])), into: &output)
        #expect(tracker.live == 51)
        // The first pane fires and is freed; its column is kept for the next new pane.
        try op.onWatermark(9, into: &output)
        #expect(output.records.compactMap(\.result).count == 50)
        try op.process(Batch(records: [WindowTestEvent(key: 0, id: 51)], times: [25]), into: &output)
        #expect(op.store.columns != nil)
        #expect(tracker.live == 2, "only key 99's record in the second pane and key 0's in the third are held")
        try op.onEnd(into: &output)
        #expect(tracker.live == 0)
    }
}
