import Testing
import SluiceCore
import SluiceRuntime

/// Sums its input; on a watermark emits the running sum, at the end emits -1.
private struct Summing: BatchOperator {
    var sum = 0
    mutating func process(_ batch: Batch<Int>, into output: inout Batch<Int>) throws {
        for record in batch.records { sum += record }
    }
    mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Int>) throws {
        output.append(sum, time: watermark)
    }
    mutating func onEnd(into output: inout Batch<Int>) throws {
        output.append(-1, time: .endOfTime)
    }
}

/// On a watermark emits `count` records, handing them to the flush as it goes.
private struct Bursting: BatchOperator {
    var count: Int
    mutating func process(_ batch: Batch<Int>, into output: inout Batch<Int>) throws {}
    mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Int>, flush: OutputFlush<Int>) throws {
        guard case .watermark(let watermark) = advance else { return }
        for i in 0..<count {
            output.append(i, time: watermark)
            try flush.sendIfFull(&output)
        }
    }
}

@Suite("OperatorReceiver and Output")
struct OperatorReceiverTests {
    @Test("an operator's output goes downstream before the watermark and the end it produced it for")
    func operatorResultsPrecedeControl() throws {
        let receiver = RecordingReceiver<Int>()
        let chain = OperatorReceiver(Summing(), downstream: receiver)
        try chain.receive(batch([1, 2, 3]))          // no output: nothing is passed on
        try chain.receiveWatermark(10)
        try chain.receive(batch([4]))
        try chain.finish()
        #expect(receiver.events == [
            .batch([6], [10]), .watermark(10), .batch([-1], [.endOfTime]), .finish,
        ])
    }

    @Test("a burst from one watermark goes downstream in batches of the flush size, before the watermark")
    func burstsAreFlushedInBatches() throws {
        let receiver = RecordingReceiver<Int>()
        let chain = OperatorReceiver(BatchFunction.of(Bursting(count: 10)), downstream: receiver, flushBatchSize: 4)
        try chain.receiveWatermark(7)
        #expect(receiver.events == [
            .batch([0, 1, 2, 3], [7, 7, 7, 7]), .batch([4, 5, 6, 7], [7, 7, 7, 7]), .batch([8, 9], [7, 7]), .watermark(7),
        ])
    }

    @Test("results a watermark completes are sent on at once: the watermark is followed by inputDrained",
          arguments: [1, 4, 100])
    func completedResultsAreDrained(flushBatchSize: Int) throws {
        let receiver = RecordingReceiver<Int>(recordsDrained: true)
        let chain = OperatorReceiver(BatchFunction.of(Bursting(count: 10)), downstream: receiver, flushBatchSize: flushBatchSize)
        try chain.receiveWatermark(7)
        let events = receiver.events
        #expect(events.suffix(2) == [.watermark(7), .drained])
        let batches = events.dropLast(2)
        #expect(batches.count == (10 + flushBatchSize - 1) / flushBatchSize)
        #expect(batches.flatMap { event -> [Int] in
            guard case .batch(let records, _) = event else { return [] }
            return records
        } == Array(0..<10))
    }

    @Test("a watermark that completes nothing leaves held records held")
    func emptyAdvanceIsNotDrained() throws {
        let receiver = RecordingReceiver<Int>(recordsDrained: true)
        let chain = OperatorReceiver(BatchFunction.of(Bursting(count: 0)), downstream: receiver)
        try chain.receiveWatermark(7)
        try chain.receiveWatermark(8)
        #expect(receiver.events == [.watermark(7), .watermark(8)])
    }

    @Test("Output passes everything to each receiver and counts records")
    func outputFansOut() throws {
        let counter = Counter()
        let output = Output<Int>(records: counter)
        let first = RecordingReceiver<Int>()
        let second = RecordingReceiver<Int>()
        output.connect(first)
        output.connect(second)
        try output.receive(batch([1, 2], times: [5, 6]))
        try output.receiveWatermark(6)
        try output.finish()
        let expected: [ReceivedEvent<Int>] = [.batch([1, 2], [5, 6]), .watermark(6), .finish]
        #expect(first.events == expected)
        #expect(second.events == expected)
        #expect(counter.value == 2)
    }
}

