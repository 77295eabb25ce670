import Sluice
import SluiceRuntime

/// Puts a batch of 1024 records into an `InputGate` and takes it out again, on one thread: the
/// handoff's own cost (lock, ring slot, element copy) without the wake-ups and cache transfers
/// of a second thread, which `queue-handoff` measures but whose instruction count would vary
/// with scheduling.
struct QueueHandoffMicroBenchmark: MicroBenchmark {
    static let name = "micro-queue-handoff"
    static let unit = "batch"
    static let operationsPerCall = 1
    static let timedCalls = 200_000

    private let gate = InputGate<Int>(channels: 1, capacity: 4)
    private let batch: Batch<Int>
    private var received = 0

    init() {
        var batch = Batch<Int>(capacity: 1024)
        for i in 0..<1024 { batch.append(i, time: 0) }
        self.batch = batch
    }

    mutating func run(calls: Int) throws {
        for _ in 0..<calls {
            gate.put(.batch(batch), channel: 0)
            guard case .batch(let taken)? = gate.take()?.element else { preconditionFailure("the gate lost a batch") }
            received &+= taken.count
        }
    }
}
