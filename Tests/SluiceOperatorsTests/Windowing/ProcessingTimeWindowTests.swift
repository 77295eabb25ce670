import Testing
import SluiceCore
import SluiceOperators

private func counter(_ assigner: WindowAssigner)
    -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Count<WindowTestEvent>> {
    KeyedWindowAggregateOperator(key: \.key, assigner: assigner, aggregator: Count(), allowedLateness: 1_000,
                                 timeDomain: .processingTime)
}

/// Records of `keys`, with event times that processing-time windows must ignore.
private func records(_ keys: Int...) -> WindowTestStep<WindowTestEvent> {
    .records(keys.map { (WindowTestEvent(key: $0), -999_999) })
}

@Suite("Processing-time windows on a manual clock")
struct ProcessingTimeWindowTests {
    @Test("records go to the window of the clock; a window fires once the clock passes its end")
    func tumbling() throws {
        var op = counter(.tumbling(size: 10))
        let out = try windowTestRun(&op, [
            records(1, 2),                // clock 0 before any call
            .processingTime(5),
            records(1),
            .watermark(.endOfTime),       // ignored in processing time
            .processingTime(9),
            .processingTime(10),          // [0, 10) has passed
            records(1),                   // clock 10: [10, 20)
            .processingTime(8),           // the clock never goes back
            .processingTime(25),
        ])
        #expect(out[3].records.isEmpty)
        #expect(out[4].records.isEmpty)
        #expect(windowTestMultiset(out[5].records) == windowTestMultiset([
            windowTestResult(1, 0, 10, 2), windowTestResult(2, 0, 10, 1),
        ] as [WindowOutput<Int, WindowTestEvent, Int>]))
        #expect(out[5].times == [9, 9])
        #expect(out[7].records.isEmpty)
        #expect(out[8].records == [windowTestResult(1, 10, 20, 1)])
        #expect(op.lateRecords == 0)
        #expect(op.stateSize == 0)
    }

    @Test("sliding windows by processing time")
    func sliding() throws {
        var op = counter(.sliding(size: 10, slide: 5))
        let out = try windowTestRun(&op, [.processingTime(7), records(1), .processingTime(10), .processingTime(15)])
        #expect(out[2].records == [windowTestResult(1, 0, 10, 1)])
        #expect(out[3].records == [windowTestResult(1, 5, 15, 1)])
    }

    @Test("sessions close after a gap of processing time without records")
    func sessions() throws {
        var op = counter(.session(gap: 10))
        let out = try windowTestRun(&op, [
            records(1), .processingTime(5), records(1),
            .processingTime(14), .processingTime(15),
            records(1), .end,
        ])
        #expect(out[3].records.isEmpty)
        #expect(out[4].records == [windowTestResult(1, 0, 15, 2)])
        #expect(out[6].records == [windowTestResult(1, 15, 25, 1)], "the end of input flushes what is pending")
        #expect(op.stateSize == 0)
    }

    @Test("nothing is ever late in processing time, whatever the event times")
    func neverLate() throws {
        var op = counter(.tumbling(size: 10))
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>()
        for now in stride(from: Int64(0), to: 100, by: 3) {
            try op.process(Batch(records: [WindowTestEvent(key: 1)], times: [.noTime]), into: &output)
            try op.onProcessingTime(now, into: &output)
        }
        try op.onEnd(into: &output)
        #expect(op.lateRecords == 0)
        #expect(output.records.compactMap(\.result?.value).reduce(0, +) == 34)
    }
}
