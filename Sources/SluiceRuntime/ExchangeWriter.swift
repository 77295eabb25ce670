import SluiceCore

/// How an exchange distributes a producer's records over the consumer instances.
public enum Routing<Record> {
    /// Producer `i` sends everything to consumer `i % consumers`.
    case forward
    /// Whole batches go round-robin over the consumers.
    case rebalance
    /// Every consumer gets every batch.
    case broadcast
    /// Each record goes to the owner of its key group (design.md §3).
    case partition(KeyGroups, RecordPartitioner<Record>)

    /// Routing by the key group of `hash(record)`.
    @inlinable
    public static func hash(keyGroups: KeyGroups, hash: @escaping (Record) -> UInt64) -> Routing {
        .partition(keyGroups, .byHash(hash))
    }
}

/// Splits a batch by the key group of each record. Built with `byHash`, which is inlinable, so
/// that the per-record loop is compiled with the pipeline's record type.
public struct RecordPartitioner<Record> {
    /// Appends each record of the batch to `parts[owner of its key group]`.
    public let split: (Batch<Record>, _ ownerOfKeyGroup: [Int], _ keyGroups: KeyGroups, _ parts: inout [Batch<Record>]) -> Void

    public init(split: @escaping (Batch<Record>, [Int], KeyGroups, inout [Batch<Record>]) -> Void) {
        self.split = split
    }

    /// Routes by `hash` (a key's `stableHash`).
    @inlinable
    public static func byHash(_ hash: @escaping (Record) -> UInt64) -> RecordPartitioner {
        RecordPartitioner { batch, ownerOfKeyGroup, keyGroups, parts in
            batch.records.withUnsafeBufferPointer { records in
                batch.times.withUnsafeBufferPointer { times in
                    for i in 0..<records.count {
                        let owner = ownerOfKeyGroup[keyGroups.keyGroup(forHash: hash(records[i]))]
                        parts[owner].append(records[i], time: times[i])
                    }
                }
            }
        }
    }
}

/// The producer side of an exchange: the last receiver of a producer's fused chain. It splits
/// batches by `Routing` and puts them into the consumers' gates on channel `producer`.
public final class ExchangeWriter<Record>: BatchReceiver {
    private let gates: [InputGate<Record>]
    private let producer: Int
    private let routing: Routing<Record>
    private let ownerOfKeyGroup: [Int]
    private var nextConsumer: Int

    public init(gates: [InputGate<Record>], producer: Int, routing: Routing<Record>) {
        precondition(!gates.isEmpty)
        self.gates = gates
        self.producer = producer
        self.routing = routing
        nextConsumer = producer % gates.count
        if case .partition(let keyGroups, _) = routing {
            ownerOfKeyGroup = keyGroups.ownerTable(parallelism: gates.count)
        } else {
            ownerOfKeyGroup = []
        }
    }

    public func receive(_ batch: Batch<Record>) throws {
        guard !batch.isEmpty else { return }
        switch routing {
        case .forward:
            try put(.batch(batch), to: producer % gates.count)
        case .rebalance:
            try put(.batch(batch), to: nextConsumer)
            nextConsumer = (nextConsumer + 1) % gates.count
        case .broadcast:
            for consumer in gates.indices { try put(.batch(batch), to: consumer) }
        case .partition(let keyGroups, let partitioner):
            if gates.count == 1 {
                try put(.batch(batch), to: 0)
                return
            }
            var parts = (0..<gates.count).map { _ in Batch<Record>(capacity: batch.count / gates.count + 16) }
            partitioner.split(batch, ownerOfKeyGroup, keyGroups, &parts)
            for consumer in parts.indices where !parts[consumer].isEmpty {
                try put(.batch(parts[consumer]), to: consumer)
            }
        }
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        for consumer in gates.indices { try put(.watermark(watermark), to: consumer) }
    }

    public func receiveIdle(_ idle: Bool) throws {
        for consumer in gates.indices { try put(.idle(idle), to: consumer) }
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        for consumer in gates.indices { try put(.barrier(checkpoint.checkpointID), to: consumer) }
    }

    public func finish() throws {
        for consumer in gates.indices { try put(.end, to: consumer) }
    }

    private func put(_ element: StreamElement<Record>, to consumer: Int) throws {
        guard gates[consumer].put(element, channel: producer) else { throw CancelledError() }
    }
}

/// Thrown inside an instance when its pipeline was cancelled; not a failure of its own.
public struct CancelledError: Error, Sendable {
    public init() {}
}
