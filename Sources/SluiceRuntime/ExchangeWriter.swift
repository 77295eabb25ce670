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
    /// The batch's records split into one batch per consumer (`consumers` of them, some maybe
    /// empty), each record to the consumer `ownerOfKeyGroup` gives its key group.
    public let split: (Batch<Record>, _ ownerOfKeyGroup: [Int], _ keyGroups: KeyGroups, _ consumers: Int) -> [Batch<Record>]

    public init(split: @escaping (Batch<Record>, [Int], KeyGroups, Int) -> [Batch<Record>]) {
        self.split = split
    }

    /// Routes by `hash` (a key's `stableHash`).
    ///
    /// Two passes: owners first, then each part made at its exact size and filled. Guessing the
    /// sizes instead regrew (and copied) a part of most batches, whose split is never exactly even.
    @inlinable
    public static func byHash(_ hash: @escaping (Record) -> UInt64) -> RecordPartitioner {
        RecordPartitioner { batch, ownerOfKeyGroup, keyGroups, consumers in
            batch.records.withUnsafeBufferPointer { records in
                batch.times.withUnsafeBufferPointer { times in
                    var counts = [Int](repeating: 0, count: consumers)
                    let owners = [UInt32](unsafeUninitializedCapacity: records.count) { owners, initialized in
                        for i in 0..<records.count {
                            let owner = ownerOfKeyGroup[keyGroups.keyGroup(forHash: hash(records[i]))]
                            owners[i] = UInt32(truncatingIfNeeded: owner)
                            counts[owner] &+= 1
                        }
                        initialized = records.count
                    }
                    var parts = counts.map { Batch<Record>(capacity: $0) }
                    for i in 0..<records.count {
                        parts[Int(owners[i])].append(records[i], time: times[i])
                    }
                    return parts
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
            let parts = partitioner.split(batch, ownerOfKeyGroup, keyGroups, gates.count)
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
