import Testing
import SluiceCore
import SluiceOperators

/// Long runs with an advancing watermark: the state must not grow with the input's length.
@Suite("Bounded window state")
struct WindowStateBoundTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var assigner: WindowAssigner
        var lateness: Int64
        /// The most live accumulators per key: the panes (or sessions) a key can have open at once.
        var perKey: Int
        var testDescription: String { "\(assigner), lateness \(lateness)" }
    }

    // Times advance about 1.5 per record over 20 keys, so a key sees a record every ~30 ms;
    // records are at most 20 behind the newest. Panes per key are bounded by
    // (size + lateness + out-of-orderness) / pane + 2, whatever the input length.
    static let cases: [Case] = [
        Case(assigner: .tumbling(size: 100), lateness: 0, perKey: 3),
        Case(assigner: .tumbling(size: 100), lateness: 300, perKey: 6),
        Case(assigner: .sliding(size: 100, slide: 10), lateness: 0, perKey: 14),
        Case(assigner: .sliding(size: 100, slide: 10), lateness: 50, perKey: 19),
        Case(assigner: .session(gap: 20), lateness: 0, perKey: 3),
        Case(assigner: .session(gap: 20), lateness: 100, perKey: 6),
    ]

    @Test("stateSize and timers stay bounded over a long run", arguments: cases)
    func bounded(testCase: Case) throws {
        let keys = 20
        var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: testCase.assigner,
                                              aggregator: Count<WindowTestEvent>(), allowedLateness: testCase.lateness)
        var random = WindowTestRandom(seed: 42)
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>()
        var latest: EventTime = 0
        var maxState = 0
        var maxTimers = 0
        var statesAtQuarters: [Int] = []
        let batches = 2_000
        for batchIndex in 0..<batches {
            var batch = Batch<WindowTestEvent>(capacity: 16)
            for _ in 0..<16 {
                latest += Int64.random(in: 0...3, using: &random)
                batch.append(WindowTestEvent(key: Int.random(in: 0..<keys, using: &random)),
                             time: latest - Int64.random(in: 0...20, using: &random))
            }
            try op.process(batch, into: &output)
            try op.onWatermark(latest - 21, into: &output)
            output.removeAll()
            maxState = max(maxState, op.stateSize)
            maxTimers = max(maxTimers, op.pendingTimers)
            if (batchIndex + 1) % (batches / 4) == 0 { statesAtQuarters.append(op.stateSize) }
        }
        #expect(op.lateRecords == 0)
        #expect(maxState <= keys * testCase.perKey, "max live accumulators \(maxState)")
        #expect(maxTimers <= keys * 4, "max pending timers \(maxTimers)")
        #expect(statesAtQuarters.allSatisfy { $0 <= keys * testCase.perKey })
        try op.onEnd(into: &output)
        #expect(op.stateSize == 0)
        #expect(op.pendingTimers == 0)
    }

    @Test("the top operator frees each window when it fires")
    func topBounded() throws {
        var op = WindowTopOperator<WindowResult<Int, Int>>(window: \.window, by: { $0.value < $1.value }, selection: .allMaximal)
        var output = Batch<WindowTopOutput<WindowResult<Int, Int>>>()
        var maxWindows = 0
        for start in stride(from: EventTime(0), to: 100_000, by: 10) {
            var batch = Batch<WindowResult<Int, Int>>()
            for key in 0..<5 {
                let window = Window(start: start, end: start + 10)
                batch.append(WindowResult(key: key, window: window, value: key % 3), time: window.maxTimestamp)
            }
            try op.process(batch, into: &output)
            try op.onWatermark(start + 9, into: &output)
            maxWindows = max(maxWindows, op.openWindows)
        }
        #expect(maxWindows == 0)
        #expect(output.count == 10_000, "one maximal key (value 2) per window")
    }
}
