import Dispatch
import Testing
import SluiceCore
import SluiceRuntime

@Suite("GateReader")
struct GateReaderTests {
    @Test("one producer: batches, watermarks and the end are passed on in order")
    func singleChannel() throws {
        let gate = InputGate<String>(channels: 1, capacity: 8)
        let receiver = RecordingReceiver<String>()
        gate.put(.batch(batch(["a", "b"], times: [1, 2])), channel: 0)
        gate.put(.watermark(2), channel: 0)
        gate.put(.barrier(1), channel: 0)
        gate.put(.batch(batch(["c"], times: [3])), channel: 0)
        gate.put(.watermark(3), channel: 0)
        gate.put(.end, channel: 0)
        try GateReader(gate: gate, downstream: receiver).run()
        #expect(receiver.events == [
            .batch(["a", "b"], [1, 2]), .watermark(2), .barrier(1), .batch(["c"], [3]), .watermark(3), .finish,
        ])
    }

    @Test("several producers: watermarks are merged and the reader finishes once all ended",
          .timeLimit(.minutes(1)))
    func mergesWatermarks() throws {
        let gate = InputGate<Int>(channels: 2, capacity: 8)
        let receiver = RecordingReceiver<Int>()
        let reader = GateReader(gate: gate, downstream: receiver)
        var failure: (any Error)?
        var returned = false
        let thread = InstanceThread.start(name: "reader") {
            do { try reader.run() } catch { failure = error }
            returned = true
        }
        // Each step waits for the effect it causes, so the order is fixed whatever the threads do.
        gate.put(.watermark(7), channel: 0)       // held back: channel 1 has no watermark yet
        gate.put(.watermark(4), channel: 1)
        receiver.signal.wait()
        #expect(receiver.events == [.watermark(4)])
        gate.put(.end, channel: 1)               // channel 1 ended: channel 0's 7 is the minimum
        receiver.signal.wait()
        #expect(receiver.events.last == .watermark(7))
        gate.put(.batch(batch([1, 2], times: [8, 9])), channel: 0)
        receiver.signal.wait()
        #expect(receiver.events.last == .batch([1, 2], [8, 9]))
        gate.put(.watermark(9), channel: 0)
        receiver.signal.wait()
        #expect(receiver.events.last == .watermark(9))
        gate.put(.end, channel: 0)
        receiver.signal.wait()
        thread.join()
        #expect(failure == nil)
        #expect(returned)
        #expect(receiver.events == [.watermark(4), .watermark(7), .batch([1, 2], [8, 9]), .watermark(9), .finish])
    }

    @Test("before waiting on an empty gate, the reader tells its chain the input is drained, once per run of input",
          .timeLimit(.minutes(1)))
    func drainedBeforeWaiting() throws {
        final class DrainLog: BatchReceiver, @unchecked Sendable {
            let log = SharedLog<String>()
            let signal = DispatchSemaphore(value: 0)
            func receive(_ batch: Batch<Int>) throws { note("batch \(batch.count)") }
            func receiveWatermark(_ watermark: EventTime) throws {}
            func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
            func inputDrained() throws { note("drained") }
            func finish() throws { note("finish") }
            private func note(_ event: String) {
                log.append(event)
                signal.signal()
            }
        }
        let gate = InputGate<Int>(channels: 1, capacity: 8)
        let receiver = DrainLog()
        // Both batches are in before the reader starts: it drains the gate once, then waits.
        gate.put(.batch(batch([1, 2])), channel: 0)
        gate.put(.batch(batch([3])), channel: 0)
        let reader = GateReader(gate: gate, downstream: receiver)
        let thread = InstanceThread.start(name: "reader") { try? reader.run() }
        for _ in 0..<3 { receiver.signal.wait() }
        #expect(receiver.log.all == ["batch 2", "batch 1", "drained"])
        gate.put(.end, channel: 0)
        receiver.signal.wait()
        thread.join()
        #expect(receiver.log.all == ["batch 2", "batch 1", "drained", "finish"])
    }

    @Test("with producers interleaving freely, every batch arrives, watermarks rise, and finish comes last",
          .timeLimit(.minutes(1)), arguments: [1, 2, 4])
    func concurrentProducers(producerCount: Int) throws {
        let gate = InputGate<Int>(channels: producerCount, capacity: 2)
        let receiver = RecordingReceiver<Int>()
        let producers = (0..<producerCount).map { channel in
            InstanceThread.start(name: "producer \(channel)") {
                for i in 0..<200 {
                    gate.put(.batch(batch([channel * 1000 + i], times: [EventTime(i)])), channel: channel)
                    if i % 10 == 9 { gate.put(.watermark(EventTime(i)), channel: channel) }
                }
                gate.put(.end, channel: channel)
            }
        }
        try GateReader(gate: gate, downstream: receiver).run()
        for producer in producers { producer.join() }
        let events = receiver.events
        #expect(events.last == .finish)
        #expect(events.filter { $0 == .finish }.count == 1)
        var records: [Int] = []
        var watermarks: [EventTime] = []
        for event in events {
            switch event {
            case .batch(let r, _): records += r
            case .watermark(let w): watermarks.append(w)
            case .barrier, .drained, .finish: break
            }
        }
        #expect(records.sorted() == (0..<producerCount).flatMap { c in (0..<200).map { c * 1000 + $0 } })
        #expect(watermarks == watermarks.sorted() && Set(watermarks).count == watermarks.count, "\(watermarks)")
        // The last watermark every producer sent is 199, so the merged watermark reaches it.
        #expect(watermarks.last == 199)
    }

    @Test("a cancelled gate makes the reader return without finishing downstream", .timeLimit(.minutes(1)))
    func cancelledReturns() throws {
        let gate = InputGate<Int>(channels: 1, capacity: 2)
        let receiver = RecordingReceiver<Int>()
        gate.put(.batch(batch([1])), channel: 0)
        gate.cancel()
        try GateReader(gate: gate, downstream: receiver).run()
        #expect(!receiver.events.contains(.finish))
    }

    @Test("an error thrown downstream leaves run")
    func downstreamErrorPropagates() {
        struct Refused: Error, Equatable {}
        final class Refusing: BatchReceiver {
            func receive(_ batch: Batch<Int>) throws { throw Refused() }
            func receiveWatermark(_ watermark: EventTime) throws {}
            func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
            func finish() throws {}
        }
        let gate = InputGate<Int>(channels: 1, capacity: 2)
        gate.put(.batch(batch([1])), channel: 0)
        gate.put(.end, channel: 0)
        #expect(throws: Refused()) { try GateReader(gate: gate, downstream: Refusing()).run() }
    }
}
