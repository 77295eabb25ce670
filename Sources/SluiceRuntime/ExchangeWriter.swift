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
    /// Appends each of the batch's records to `parts[owner]`, where `owner` is the consumer
    /// that `ownerOfKeyGroup` gives the record's key group (`parts` has one batch per consumer).
    public let split: (Batch<Record>, _ ownerOfKeyGroup: [Int], _ keyGroups: KeyGroups, _ parts: UnsafeMutableBufferPointer<Batch<Record>>) -> Void

    public init(split: @escaping (Batch<Record>, [Int], KeyGroups, UnsafeMutableBufferPointer<Batch<Record>>) -> Void) {
        self.split = split
    }

    /// Routes by `hash` (a key's `stableHash`).
    ///
    /// Owners first, then the parts. Guessing the parts' sizes instead regrew (and copied) a
    /// part of most batches, whose split is never exactly even. Each consumer's records are
    /// written in place into a batch made at their number (`Batch(capacity:writing:)`), in a
    /// pass over the owners per consumer. A part that is empty (the first since it was last
    /// sent) becomes that batch; one that still holds records appends it
    /// (`Batch.append(contentsOf:)`). (A counting sort of the positions by owner, gathering each
    /// part in one pass, was slower: `micro-key-partition-ids` 4.3 → 5.5 ns per record.)
    @inlinable
    public static func byHash(_ hash: @escaping (Record) -> UInt64) -> RecordPartitioner {
        RecordPartitioner { batch, ownerOfKeyGroup, keyGroups, parts in
            let count = batch.count
            // The owners and the counts are temporary allocations (on the stack where it has room:
            // a batch of 1,024 takes 4 KB), read through pointers: no allocation per batch, and no
            // bounds or uniqueness check per record.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: parts.count) { counts in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { owners in
                    batch.records.withUnsafeBufferPointer { records in
                        counts.initialize(repeating: 0)
                        ownerOfKeyGroup.withUnsafeBufferPointer { ownerOf in
                            for i in 0..<count {
                                let owner = ownerOf[keyGroups.keyGroup(forHash: hash(records[i]))]
                                owners[i] = UInt32(truncatingIfNeeded: owner)
                                counts[owner] &+= 1
                            }
                        }
                        batch.times.withUnsafeBufferPointer { times in
                            for consumer in 0..<parts.count where counts[consumer] > 0 {
                                let owner = UInt32(truncatingIfNeeded: consumer)
                                parts[consumer].append(contentsOf: Batch(capacity: counts[consumer]) { part, partTimes, written in
                                    var next = 0
                                    for i in 0..<count where owners[i] == owner {
                                        (part + next).initialize(to: records[i])
                                        partTimes[next] = times[i]
                                        next &+= 1
                                    }
                                    written = next
                                })
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How long an exchange may hold records back to send them in fuller batches, as Flink's
/// network buffers do (`execution.buffer-timeout`).
///
/// Every batch put into a consumer's gate can wake that consumer's thread. Where an exchange
/// carries few of each upstream batch's records (q8 keeps 8 % of the events and splits them
/// over the consumers), sending each part at once made batches of a few dozen records and one
/// wake-up each: a second of system time per 10 M events. Holding ends at the first of: a
/// consumer's records reaching `records`, `maxNanos` since the oldest held element, the
/// producer's thread finding its input drained (`BatchReceiver.inputDrained`), a tick, and
/// any barrier, idleness change or end.
public struct ExchangeHolding: Sendable, Equatable {
    /// A consumer's held records are sent once there are this many; 0 holds nothing back.
    public var records: Int
    /// Nothing is held longer than this, in nanoseconds.
    public var maxNanos: Int64

    public init(records: Int, maxNanos: Int64) {
        self.records = records
        self.maxNanos = maxNanos
    }

    /// Every batch and watermark is sent as it comes.
    public static let none = ExchangeHolding(records: 0, maxNanos: 0)
}

/// The producer side of an exchange: the last receiver of a producer's fused chain. It splits
/// batches by `Routing` and puts them into the consumers' gates on channel `producer`, holding
/// them back for fuller batches as `holding` allows.
public final class ExchangeWriter<Record>: BatchReceiver {
    // The consumers' gates and held batches are plain buffers: this class is compiled once for
    // every record type, and there each use of an array of `InputGate<Record>` or of
    // `Batch<Record>` looked up the array's type metadata (a hash-table probe), several per batch.
    private let consumers: Int
    private let gates: UnsafeMutablePointer<InputGate<Record>>
    private let producer: Int
    private let routing: Routing<Record>
    private let holding: ExchangeHolding
    private let ownerOfKeyGroup: [Int]
    private var nextConsumer: Int
    /// Per consumer, the records not yet put into its gate.
    private let held: UnsafeMutablePointer<Batch<Record>>
    /// Records in `held`, over all consumers.
    private var heldRecords = 0
    /// The latest watermark received and not yet sent (it goes out after every held record).
    private var heldWatermark: EventTime?
    /// When the oldest held record or watermark was held (monotonic ns), nil when none is.
    private var heldSince: Int64?

    public init(gates: [InputGate<Record>], producer: Int, routing: Routing<Record>, holding: ExchangeHolding = .none) {
        precondition(!gates.isEmpty)
        consumers = gates.count
        self.gates = .allocate(capacity: gates.count)
        self.gates.initialize(from: gates, count: gates.count)
        self.producer = producer
        self.routing = routing
        self.holding = holding
        nextConsumer = producer % gates.count
        held = .allocate(capacity: gates.count)
        held.initialize(repeating: Batch(), count: gates.count)
        if case .partition(let keyGroups, _) = routing {
            ownerOfKeyGroup = keyGroups.ownerTable(parallelism: gates.count)
        } else {
            ownerOfKeyGroup = []
        }
    }

    deinit {
        gates.deinitialize(count: consumers).deallocate()
        held.deinitialize(count: consumers).deallocate()
    }

    public func receive(_ batch: Batch<Record>) throws {
        guard !batch.isEmpty else { return }
        switch routing {
        case .forward:
            hold(batch, for: producer % consumers)
        case .rebalance:
            hold(batch, for: nextConsumer)
            nextConsumer = (nextConsumer + 1) % consumers
        case .broadcast:
            for consumer in 0..<consumers { hold(batch, for: consumer) }
        case .partition(let keyGroups, let partitioner):
            if consumers == 1 {
                hold(batch, for: 0)
            } else {
                partitioner.split(batch, ownerOfKeyGroup, keyGroups, UnsafeMutableBufferPointer(start: held, count: consumers))
                heldRecords += batch.count
            }
        }
        guard holding.records > 0 else { return try sendAll() }
        for consumer in 0..<consumers where held[consumer].count >= holding.records {
            try send(consumer)
        }
        try sendAllIfHeldTooLong()
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        heldWatermark = watermark
        // With no records held, holding the watermark would save one put per consumer and
        // delay every window behind this exchange.
        guard holding.records > 0, heldRecords > 0 else { return try sendAll() }
        try sendAllIfHeldTooLong()
    }

    public func receiveIdle(_ idle: Bool) throws {
        try sendAll()
        for consumer in 0..<consumers { try put(.idle(idle), to: consumer) }
    }

    /// Ticks are not passed across an exchange; they send what is held.
    public func tick(_ now: Int64) throws {
        try sendAll()
    }

    public func inputDrained() throws {
        try sendAll()
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        try sendAll()
        for consumer in 0..<consumers { try put(.barrier(checkpoint.checkpointID), to: consumer) }
    }

    public func finish() throws {
        try sendAll()
        for consumer in 0..<consumers { try put(.end, to: consumer) }
    }

    private func hold(_ batch: Batch<Record>, for consumer: Int) {
        held[consumer].append(contentsOf: batch)
        heldRecords += batch.count
    }

    private func sendAllIfHeldTooLong() throws {
        let now = monotonicNanos()
        if let heldSince {
            if now - heldSince >= holding.maxNanos { try sendAll() }
        } else if heldWatermark != nil || heldRecords > 0 {
            heldSince = now
        }
    }

    /// Puts every held batch, then the held watermark, into the gates.
    private func sendAll() throws {
        if heldRecords > 0 {
            for consumer in 0..<consumers where !held[consumer].isEmpty { try send(consumer) }
        }
        if let watermark = heldWatermark {
            heldWatermark = nil
            for consumer in 0..<consumers { try put(.watermark(watermark), to: consumer) }
        }
        heldSince = nil
    }

    private func send(_ consumer: Int) throws {
        let batch = (held + consumer).move()
        (held + consumer).initialize(to: Batch())
        heldRecords -= batch.count
        try put(.batch(batch), to: consumer)
    }

    private func put(_ element: StreamElement<Record>, to consumer: Int) throws {
        guard gates[consumer].put(element, channel: producer) else { throw CancelledError() }
    }
}

/// Thrown inside an instance when its pipeline was cancelled; not a failure of its own.
public struct CancelledError: Error, Sendable {
    public init() {}
}
