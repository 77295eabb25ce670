import Testing
import SluiceCore
@testable import SluiceOperators

/// Seeded random out-of-order inputs, compared with the brute-force `WindowTestReference`.
@Suite("Window operators against a brute-force reference")
struct WindowPropertyTests {
    static let assigners: [WindowAssigner] = [
        .tumbling(size: 10),
        .tumbling(size: 7),
        .sliding(size: 10, slide: 5),
        .sliding(size: 10, slide: 2),
        .sliding(size: 9, slide: 3),
        .sliding(size: 12, slide: 8),
        .sliding(size: 30, slide: 4),
        .session(gap: 5),
        .session(gap: 15),
    ]

    struct LatenessCase: Sendable, CustomTestStringConvertible {
        var assigner: WindowAssigner
        var lateness: Int64
        var testDescription: String { "\(assigner), lateness \(lateness)" }
    }

    static let latenessCases: [LatenessCase] = assigners.flatMap { assigner in
        [0, 4, 25].map { LatenessCase(assigner: assigner, lateness: $0) }
    }

    private func operatorOutput(_ steps: [WindowTestStep<WindowTestEvent>], assigner: WindowAssigner, lateness: Int64,
                                layout: PaneLayout)
        throws -> (results: [[WindowResult<Int, [Int]>]], late: [WindowTestEvent], emissions: [WindowTestEmission<WindowOutput<Int, WindowTestEvent, [Int]>>]) {
        var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: assigner,
                                              aggregator: WindowTestIDs(), allowedLateness: lateness, paneLayout: layout)
        let emissions = try windowTestRun(&op, steps)
        let results = emissions.map { $0.records.compactMap(\.result) }
        let late = emissions.flatMap { $0.records.compactMap(\.lateRecord) }
        #expect(op.lateRecords == late.count)
        #expect(op.stateSize == 0, "all state is freed at the end")
        #expect(op.pendingTimers == 0, "all timers have fired at the end")
        return (results, late, emissions)
    }

    @Test("bounded out-of-orderness: every window of every key, nothing late", arguments: assigners, 0..<6)
    func inBounds(assigner: WindowAssigner, seed: Int) throws {
      for layout in PaneLayout.allCases {
        let steps = windowTestRandomSteps(seed: UInt64(seed), records: 400, keys: 4)
        let (results, late, emissions) = try operatorOutput(steps, assigner: assigner, lateness: 0, layout: layout)
        let records = steps.flatMap { step -> [(WindowTestEvent, EventTime)] in
            if case .records(let records) = step { return records }
            return []
        }
        #expect(late.isEmpty)
        #expect(windowTestMultiset(results.joined()) == windowTestMultiset(WindowTestReference.allWindows(of: records, assigner: assigner)))
        // One watermark fires windows in end order; each result carries its window's last millisecond.
        for emission in emissions {
            #expect(emission.times == emission.times.sorted())
            for (record, time) in zip(emission.records, emission.times) {
                #expect(record.result?.window.maxTimestamp == time)
            }
        }
      }
    }

    @Test("records beyond the bound: results, corrections and late records match step by step",
          arguments: latenessCases, 0..<5)
    func withLateness(testCase: LatenessCase, seed: Int) throws {
      for layout in PaneLayout.allCases {
        let steps = windowTestRandomSteps(seed: UInt64(seed) &+ 1000, records: 400, keys: 3, maxOutOfOrder: 4,
                                          lateFraction: 0.15, lateExtra: 60)
        let (results, late, _) = try operatorOutput(steps, assigner: testCase.assigner, lateness: testCase.lateness,
                                                    layout: layout)
        let expected = WindowTestReference.run(steps, assigner: testCase.assigner, lateness: testCase.lateness)
        #expect(results.count == expected.results.count)
        for (step, (actual, reference)) in zip(results, expected.results).enumerated() {
            #expect(windowTestMultiset(actual) == windowTestMultiset(reference), "step \(step)")
        }
        #expect(windowTestMultiset(late) == windowTestMultiset(expected.late))
        #expect(!expected.late.isEmpty || testCase.lateness > 0, "the input exercises late records")
      }
    }

    /// Hundreds of keys in every window. Laid out by key, a window end shared by most keys fires
    /// by one pass over the key table rather than by popping each key's timer; laid out by pane,
    /// by a pass over the window's columns. Results, corrections and late records must be the
    /// same as the reference's, step by step.
    @Test("many keys per window: firing by a pass over the key table or the columns", arguments: [
        LatenessCase(assigner: .sliding(size: 1_000, slide: 200), lateness: 0),
        LatenessCase(assigner: .sliding(size: 900, slide: 300), lateness: 150),
        LatenessCase(assigner: .tumbling(size: 1_500), lateness: 0),
        LatenessCase(assigner: .tumbling(size: 2_000), lateness: 300),
    ], PaneLayout.allCases)
    func manyKeys(testCase: LatenessCase, layout: PaneLayout) throws {
        let steps = windowTestRandomSteps(seed: 9, records: 12_000, keys: 320, maxOutOfOrder: 40,
                                          lateFraction: 0.03, lateExtra: 700)
        var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: testCase.assigner,
                                              aggregator: WindowTestIDs(), allowedLateness: testCase.lateness,
                                              paneLayout: layout)
        let emissions = try windowTestRun(&op, steps)
        let expected = WindowTestReference.run(steps, assigner: testCase.assigner, lateness: testCase.lateness)
        #expect(emissions.count == expected.results.count)
        for (step, (emission, reference)) in zip(emissions, expected.results).enumerated() {
            let results = emission.records.compactMap(\.result)
            #expect(windowTestMultiset(results) == windowTestMultiset(reference), "step \(step)")
            #expect(results.map(\.window.end) == results.map(\.window.end).sorted(), "windows fire in end order")
        }
        #expect(windowTestMultiset(emissions.flatMap { $0.records.compactMap(\.lateRecord) }) == windowTestMultiset(expected.late))
        if layout == .byKey {
            #expect(op.store.panes!.sweeps > 5, "the input has window ends that most keys share")
        } else {
            #expect(op.store.columns != nil, "the records stay within the columns' span")
        }
        #expect(op.stateSize == 0 && op.pendingTimers == 0)
    }

    @Test("count and ids agree: incremental aggregation sees the same records", arguments: assigners)
    func countMatchesIDs(assigner: WindowAssigner) throws {
        let steps = windowTestRandomSteps(seed: 77, records: 300, keys: 5, lateFraction: 0.1, lateExtra: 30)
      for layout in PaneLayout.allCases {
        var ids = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: assigner,
                                               aggregator: WindowTestIDs(), allowedLateness: 8, paneLayout: layout)
        var counts = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: assigner,
                                                  aggregator: Count<WindowTestEvent>(), allowedLateness: 8, paneLayout: layout)
        let idResults = try windowTestRun(&ids, steps).flatMap(\.records)
        let countResults = try windowTestRun(&counts, steps).flatMap(\.records)
        #expect(idResults.count == countResults.count)
        for (a, b) in zip(idResults, countResults) {
            switch (a, b) {
            case (.result(let a), .result(let b)):
                #expect(a.key == b.key && a.window == b.window && a.value.count == b.value)
            case (.late(let a), .late(let b)):
                #expect(a == b)
            default:
                Issue.record("outputs differ: \(a) vs \(b)")
            }
        }
      }
    }

    @Test("the process operator sees exactly the records of each window", arguments: assigners)
    func processMatchesReference(assigner: WindowAssigner) throws {
        let steps = windowTestRandomSteps(seed: 5, records: 300, keys: 3, lateFraction: 0.1, lateExtra: 30)
        var op = KeyedWindowProcessOperator<Int, WindowTestEvent, [Int]>(key: \.key, assigner: assigner, allowedLateness: 6) {
            _, _, events, out in out.append(events.map(\.id).sorted())
        }
        let emissions = try windowTestRun(&op, steps)
        let expected = WindowTestReference.run(steps, assigner: assigner, lateness: 6)
        for (emission, reference) in zip(emissions, expected.results) {
            #expect(windowTestMultiset(emission.records.compactMap(\.result)) == windowTestMultiset(reference))
        }
        #expect(windowTestMultiset(emissions.flatMap { $0.records.compactMap(\.lateRecord) }) == windowTestMultiset(expected.late))
        #expect(op.stateSize == 0)
    }
}
