import Dispatch
import Testing
import SluiceCore
import SluiceRuntime

@Suite("InputGate")
struct InputGateTests {
    @Test("each channel is FIFO")
    func fifoPerChannel() {
        let gate = InputGate<Int>(channels: 1, capacity: 4)
        for i in 0..<4 { #expect(gate.put(.batch(batch([i])), channel: 0)) }
        let taken = drain(gate, count: 4)
        #expect(taken.map { $0.channel } == [0, 0, 0, 0])
        #expect(taken.compactMap { $0.element.records } == [[0], [1], [2], [3]])
    }

    @Test("the ring wraps around: FIFO holds over many more elements than the capacity")
    func fifoAcrossWrapAround() {
        let gate = InputGate<Int>(channels: 1, capacity: 3)
        var taken: [Int] = []
        var next = 0
        for round in 0..<10 {
            for _ in 0..<(round % 3 + 1) {
                gate.put(.batch(batch([next])), channel: 0)
                next += 1
            }
            for _ in 0..<(round % 3 + 1) { taken += gate.take()!.element.records! }
        }
        #expect(taken == Array(0..<next))
    }

    @Test("take serves every channel in turn when all have data")
    func takeRoundRobins() {
        let gate = InputGate<Int>(channels: 3, capacity: 4)
        for channel in 0..<3 {
            for i in 0..<4 { gate.put(.batch(batch([channel * 100 + i])), channel: channel) }
        }
        let taken = drain(gate, count: 12)
        // Any three consecutive takes (while every channel still has data) cover all channels.
        for start in stride(from: 0, to: 12, by: 3) {
            #expect(Set(taken[start..<start + 3].map { $0.channel }) == [0, 1, 2], "takes \(start)...\(start + 2)")
        }
        // Each channel's elements came out in order, from the channel they were put into.
        for channel in 0..<3 {
            let mine = taken.filter { $0.channel == channel }.compactMap { $0.element.records }
            #expect(mine == (0..<4).map { [channel * 100 + $0] })
        }
    }

    @Test("take skips blocked channels")
    func takeSkipsBlocked() {
        let gate = InputGate<Int>(channels: 2, capacity: 4)
        gate.put(.batch(batch([1])), channel: 0)
        gate.put(.batch(batch([2])), channel: 1)
        gate.put(.batch(batch([3])), channel: 1)
        let first = gate.take(blocked: [0])
        let second = gate.take(blocked: [0])
        #expect(first?.channel == 1)
        #expect(first?.element.records == [2])
        #expect(second?.channel == 1)
        #expect(second?.element.records == [3])
        #expect(gate.take()?.element.records == [1])
    }

    @Test("control elements keep their place among the batches")
    func controlElementsInOrder() {
        let gate = InputGate<Int>(channels: 1, capacity: 4)
        gate.put(.batch(batch([1])), channel: 0)
        gate.put(.watermark(5), channel: 0)
        gate.put(.barrier(3), channel: 0)
        gate.put(.end, channel: 0)
        let taken = drain(gate, count: 4).map { $0.element }
        #expect(taken[0].records == [1])
        #expect(taken[1].watermark == 5)
        if case .barrier(let n) = taken[2] { #expect(n == 3) } else { Issue.record("expected a barrier, got \(taken[2])") }
        #expect(taken[3].isEnd)
    }

    @Test("a producer blocks on a full channel until a take makes room", .timeLimit(.minutes(1)))
    func producerBlocksWhenFull() {
        let gate = InputGate<Int>(channels: 1, capacity: 2)
        #expect(gate.put(.batch(batch([1])), channel: 0))
        #expect(gate.put(.batch(batch([2])), channel: 0))
        let log = SharedLog<String>()
        let started = DispatchSemaphore(value: 0)
        var accepted = false
        let producer = InstanceThread.start(name: "producer") {
            started.signal()
            accepted = gate.put(.batch(batch([3])), channel: 0)
            log.append("put 3 returned")
        }
        started.wait()
        // The third put cannot have returned yet: the channel is full until this take.
        log.append("take")
        let first = gate.take()
        producer.join()
        #expect(accepted)
        #expect(log.all == ["take", "put 3 returned"])
        #expect(first?.element.records == [1])
        #expect(gate.take()?.element.records == [2])
        #expect(gate.take()?.element.records == [3])
    }

    @Test("a full channel does not block the other channels' producers")
    func channelsAreIndependent() {
        let gate = InputGate<Int>(channels: 2, capacity: 1)
        #expect(gate.put(.batch(batch([1])), channel: 0))
        // Channel 0 is full; channel 1 still accepts without waiting (same thread: would hang otherwise).
        #expect(gate.put(.batch(batch([2])), channel: 1))
        #expect(Set(drain(gate, count: 2).map { $0.channel }) == [0, 1])
    }

    @Test("cancel wakes a producer blocked on a full channel, and its put returns false", .timeLimit(.minutes(1)))
    func cancelWakesProducer() {
        let gate = InputGate<Int>(channels: 1, capacity: 1)
        gate.put(.batch(batch([1])), channel: 0)
        let started = DispatchSemaphore(value: 0)
        var accepted = true
        let producer = InstanceThread.start(name: "producer") {
            started.signal()
            accepted = gate.put(.batch(batch([2])), channel: 0)
        }
        started.wait()
        gate.cancel()
        producer.join()
        #expect(!accepted)
    }

    @Test("cancel wakes a reader waiting on an empty gate, and its take returns nil", .timeLimit(.minutes(1)))
    func cancelWakesReader() {
        let gate = InputGate<Int>(channels: 2, capacity: 2)
        let started = DispatchSemaphore(value: 0)
        var result: (channel: Int, element: StreamElement<Int>)? = (0, .end)
        let reader = InstanceThread.start(name: "reader") {
            started.signal()
            result = gate.take()
        }
        started.wait()
        gate.cancel()
        reader.join()
        #expect(result == nil)
    }

    @Test("after cancel, put returns false and take returns nil at once")
    func afterCancel() {
        let gate = InputGate<Int>(channels: 1, capacity: 1)
        gate.put(.batch(batch([1])), channel: 0)
        gate.cancel()
        #expect(!gate.put(.batch(batch([2])), channel: 0))
        #expect(!gate.put(.end, channel: 0))
        #expect(gate.take() == nil)
    }

    @Test("a reader gets everything a producer thread puts, in order, through a small gate", .timeLimit(.minutes(1)),
          arguments: [1, 2, 4])
    func producerConsumer(capacity: Int) {
        let gate = InputGate<Int>(channels: 2, capacity: capacity)
        let producers = (0..<2).map { channel in
            InstanceThread.start(name: "producer \(channel)") {
                for i in 0..<500 { gate.put(.batch(batch([channel * 1000 + i])), channel: channel) }
                gate.put(.end, channel: channel)
            }
        }
        var perChannel: [[Int]] = [[], []]
        var ended = 0
        while ended < 2, let (channel, element) = gate.take() {
            if element.isEnd { ended += 1 } else { perChannel[channel] += element.records! }
        }
        for producer in producers { producer.join() }
        #expect(perChannel[0] == Array(0..<500))
        #expect(perChannel[1] == Array(1000..<1500))
    }

    @Test("a gate freed with elements in its channels frees their records, whatever the rings' positions")
    func freesWhatItHolds() {
        let live = LiveRecords()
        do {
            let gate = InputGate<LiveRecord>(channels: 3, capacity: 3)
            // Channel 0 wraps around, channel 1 is full, channel 2 is empty.
            for _ in 0..<2 { gate.put(.batch(live.batch(2)), channel: 0) }
            for _ in 0..<2 { _ = gate.take() }
            for _ in 0..<3 { gate.put(.batch(live.batch(2)), channel: 0) }
            for _ in 0..<3 { gate.put(.batch(live.batch(5)), channel: 1) }
            #expect(live.alive == 3 * 2 + 3 * 5)
        }
        #expect(live.alive == 0)
    }
}
