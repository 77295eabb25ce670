import Testing
import SluiceCore
import SluiceOperators

/// A watermark that fires a window for many keys hands its results to the flush in full
/// batches as it goes: the same results, in the same order, as without a flush.
@Suite("Window operators flush large firings")
struct WindowOutputFlushTests {
    /// 1,000 keys with a record in each of three 10 ms tumbling windows: one watermark fires
    /// all of them (by a pass over the key table), another fires the rest at the end.
    static func records() -> Batch<WindowTestEvent> {
        var batch = Batch<WindowTestEvent>()
        for time in [EventTime(1), 12, 25] {
            for key in 0..<1_000 { batch.append(WindowTestEvent(key: key, id: key, value: key % 7), time: time) }
        }
        return batch
    }

    @Test("aggregate: flushed batches, then the rest, equal the unflushed output", arguments: [1, 7, 100, 4_096])
    func aggregate(batchSize: Int) throws {
        typealias Out = WindowOutput<Int, WindowTestEvent, Int>
        func makeOperator() throws -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Sum<WindowTestEvent, Int>> {
            var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key }, assigner: .tumbling(size: 10),
                                                  aggregator: Sum<WindowTestEvent, Int>(\.value))
            var output = Batch<Out>()
            try op.process(Self.records(), into: &output)
            return op
        }
        var plain = try makeOperator(), flushing = try makeOperator()
        for (advance, expected) in [(TimeAdvance.watermark(19), 2_000), (.end, 1_000)] {
            var whole = Batch<Out>()
            try plain.advance(advance, into: &whole, flush: .never)
            #expect(whole.count == expected)
            var flushed: [Batch<Out>] = []
            var rest = Batch<Out>()
            try flushing.advance(advance, into: &rest, flush: OutputFlush(batchSize: batchSize) { flushed.append($0) })
            #expect(flushed.allSatisfy { $0.count == batchSize })
            #expect(rest.count == expected % batchSize)
            #expect(flushed.flatMap(\.records) + rest.records == Array(whole.records))
            #expect(flushed.flatMap(\.times) + rest.times == Array(whole.times))
        }
    }

    /// Sliding windows, firing into an output that already holds a few records: the results are
    /// staged, and the stages must not overfill a flush batch.
    @Test("aggregate over sliding windows: flushed batches, then the rest, equal the unflushed output",
          arguments: [1, 7, 100, 1_000, 4_096])
    func slidingAggregate(batchSize: Int) throws {
        typealias Out = WindowOutput<Int, WindowTestEvent, Int>
        var records = Batch<WindowTestEvent>()
        for time in EventTime(0)..<40 {
            for key in 0..<250 where (key + Int(time)) % 3 == 0 {
                records.append(WindowTestEvent(key: key + 250 * Int(time / 10), id: key, value: key % 5), time: time)
            }
        }
        func makeOperator() throws -> KeyedWindowAggregateOperator<Int, WindowTestEvent, Sum<WindowTestEvent, Int>> {
            var op = KeyedWindowAggregateOperator(key: { (event: WindowTestEvent) in event.key },
                                                  assigner: .sliding(size: 30, slide: 10),
                                                  aggregator: Sum<WindowTestEvent, Int>(\.value))
            var output = Batch<Out>()
            try op.process(records, into: &output)
            return op
        }
        var plain = try makeOperator(), flushing = try makeOperator()
        var held = Batch<Out>()
        // Fewer than a batch: a flush sends whatever holds a batch or more at once.
        for key in 0..<min(3, batchSize - 1) { held.append(.result(WindowResult(key: -key, window: Window(start: -10, end: 0), value: key)), time: -1) }
        for advance in [TimeAdvance.watermark(29), .watermark(39), .end] {
            var whole = held
            try plain.advance(advance, into: &whole, flush: .never)
            var flushed: [Batch<Out>] = []
            var rest = held
            try flushing.advance(advance, into: &rest, flush: OutputFlush(batchSize: batchSize) { flushed.append($0) })
            #expect(whole.count > 0)
            #expect(flushed.allSatisfy { $0.count == batchSize })
            #expect(rest.count == whole.count % batchSize)
            #expect(flushed.flatMap(\.records) + rest.records == Array(whole.records))
            #expect(flushed.flatMap(\.times) + rest.times == Array(whole.times))
        }
    }

    @Test("process: a window function's outputs are flushed in full batches too")
    func process() throws {
        var op = KeyedWindowProcessOperator(key: { (event: WindowTestEvent) in event.key }, assigner: .tumbling(size: 10)) {
            (key: Int, window: Window, records: [WindowTestEvent], out: inout [Int]) in
            out.append(key)
            out.append(records.count)
        }
        var output = Batch<WindowOutput<Int, WindowTestEvent, Int>>()
        try op.process(Self.records(), into: &output)
        output.removeAll()
        var flushed: [Int] = []
        try op.advance(.watermark(19), into: &output, flush: OutputFlush(batchSize: 64) { flushed.append($0.count) })
        #expect(flushed.count == 4_000 / 64)
        #expect(flushed.allSatisfy { $0 == 64 })
        #expect(output.count == 4_000 % 64)
    }
}
