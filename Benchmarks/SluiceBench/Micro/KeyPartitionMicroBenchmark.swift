import Sluice
import SluiceNexmark
import SluiceRuntime

/// Splits batches of 1024 bids by the key group of their auction over two consumer instances,
/// through the `ExchangeWriter` that `keyed(by:)` puts between two stages, then takes the two
/// parts out of the consumers' gates: per record, the hash, the owner lookup and the append to
/// a part; per batch, the parts' allocation and two gate handoffs (see `micro-queue-handoff`).
struct KeyPartitionMicroBenchmark: MicroBenchmark {
    static let name = "micro-key-partition"
    static let unit = "record"
    static let operationsPerCall = 1024
    static let timedCalls = 5_000

    private let gates = [InputGate<Bid>(channels: 1), InputGate<Bid>(channels: 1)]
    private let writer: ExchangeWriter<Bid>
    private let batch: Batch<Bid>
    private var received = 0

    init() throws {
        // Routing as `keyed(by: \.auction)` builds it.
        writer = ExchangeWriter(gates: gates, producer: 0,
                                routing: .partition(KeyGroups(), .byHash { $0.auction.stableHash }))
        batch = MicroBids.batches(count: Self.operationsPerCall, batchSize: Self.operationsPerCall)[0]
        // Each call takes one part from each gate: both must get one.
        try writer.receive(batch)
        for gate in gates {
            guard case .element(_, .batch(let part)) = gate.take(timeoutNanos: 0), !part.isEmpty else {
                preconditionFailure("every consumer needs a part of the batch")
            }
        }
    }

    mutating func run(calls: Int) throws {
        for _ in 0..<calls {
            try writer.receive(batch)
            for gate in gates {
                guard case .batch(let part)? = gate.take()?.element else { preconditionFailure("a part went missing") }
                received &+= part.count
            }
        }
    }
}
