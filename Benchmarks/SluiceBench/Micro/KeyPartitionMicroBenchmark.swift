import Sluice
import SluiceNexmark
import SluiceRuntime

/// Splits batches of 1024 bids by the key group of their auction over two consumer instances,
/// through the `ExchangeWriter` that `keyed(by:)` puts between two stages, then takes the two
/// parts out of the consumers' gates: per record, the hash, the owner lookup and the copy into
/// a part (a bid's copy retains its strings); per batch, the parts' allocation and two gate
/// handoffs (see `micro-queue-handoff`).
struct KeyPartitionMicroBenchmark: MicroBenchmark {
    static let name = "micro-key-partition"
    static let unit = "record"
    static let operationsPerCall = 1024
    static let timedCalls = 5_000

    private var rig: KeyPartitionRig<Bid>

    init() throws {
        // Routing as `keyed(by: \.auction)` builds it.
        rig = try KeyPartitionRig(batch: MicroBids.batches(count: Self.operationsPerCall, batchSize: Self.operationsPerCall)[0],
                                  partitioner: .byHash { $0.auction.stableHash })
    }

    mutating func run(calls: Int) throws {
        try rig.run(calls: calls)
    }
}

/// As `micro-key-partition`, for the auction ids alone, as q5 routes them: a record's copy is
/// two words, so what is left is the partitioning itself.
struct KeyPartitionIDsMicroBenchmark: MicroBenchmark {
    static let name = "micro-key-partition-ids"
    static let unit = "record"
    static let operationsPerCall = 1024
    static let timedCalls = 20_000

    private var rig: KeyPartitionRig<Int64>

    init() throws {
        let bids = MicroBids.batches(count: Self.operationsPerCall, batchSize: Self.operationsPerCall)[0]
        let ids = Batch(records: ContiguousArray(bids.records.map(\.auction)), times: bids.times)
        rig = try KeyPartitionRig(batch: ids, partitioner: .byHash { $0.stableHash })
    }

    mutating func run(calls: Int) throws {
        try rig.run(calls: calls)
    }
}

/// An exchange writer routing by key hash to two consumers, and the batch it splits.
///
/// The partitioner is made where the record type is concrete, as the DSL's specialised code
/// makes it: a hash closure passed in through a generic parameter is called with its record
/// passed indirectly, which copied every bid (its strings retained and released) once more.
struct KeyPartitionRig<Record> {
    private let gates = [InputGate<Record>(channels: 1), InputGate<Record>(channels: 1)]
    private let writer: ExchangeWriter<Record>
    private let batch: Batch<Record>
    private var received = 0

    init(batch: Batch<Record>, partitioner: RecordPartitioner<Record>) throws {
        writer = ExchangeWriter(gates: gates, producer: 0, routing: .partition(KeyGroups(), partitioner))
        self.batch = batch
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
