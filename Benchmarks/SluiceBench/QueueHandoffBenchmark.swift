import BenchSupport
import Sluice
import SluiceRuntime

/// Hands batches of 1024 records from one thread to another through an `InputGate`:
/// the floor cost of every exchange.
enum QueueHandoffBenchmark {
    static func run(records: Int, runs: Int) -> BenchResult {
        let batchSize = 1024
        let batches = records / batchSize
        var seconds: [Double] = []
        for _ in 0..<runs {
            let gate = InputGate<Int>(channels: 1, capacity: 4)
            var template = Batch<Int>(capacity: batchSize)
            for i in 0..<batchSize { template.append(i, time: 0) }
            let batch = template
            let elapsed = timed {
                let producer = InstanceThread.start(name: "producer") {
                    for _ in 0..<batches { gate.put(.batch(batch), channel: 0) }
                    gate.put(.end, channel: 0)
                }
                var received = 0
                loop: while let (_, element) = gate.take() {
                    switch element {
                    case .batch(let b): received += b.count
                    case .end: break loop
                    default: break
                    }
                }
                producer.join()
                precondition(received == batches * batchSize)
            }
            seconds.append(elapsed)
        }
        return BenchResult(benchmark: "queue-handoff", parallelism: 1, events: batches * batchSize, seconds: seconds)
    }
}
