import SluiceCore
import SluiceRuntime

/// A sink instance: encodes records into a reused buffer and writes it out in large chunks
/// (or after every batch, for targets that want low latency).
public final class LineSink<Record>: BatchReceiver {
    private let encode: SinkFormat<Record>.Encode
    private let target: any OutputTarget
    private var buffer: [UInt8] = []
    private let recordsOut: Counter
    private let identity: (sink: String, instance: Int)
    private var lastCommit: (path: String, bytes: Int64)?
    /// With checkpoints: told the final committed output when the sink finishes, and asked
    /// whether to drop what follows the last checkpoint (a stop, which a resume continues).
    private let checkpointed: (finished: (String, Int64) -> Void, dropUncommitted: () -> Bool)?

    /// Bytes gathered before a write.
    static var flushBytes: Int { 1 << 16 }

    public init(format: SinkFormat<Record>, target: any OutputTarget, recordsOut: Counter,
                identity: (sink: String, instance: Int) = ("", 0),
                checkpointed: (finished: (String, Int64) -> Void, dropUncommitted: () -> Bool)? = nil) {
        encode = format.makeEncoder()
        self.target = target
        self.recordsOut = recordsOut
        self.identity = identity
        self.checkpointed = checkpointed
        buffer.reserveCapacity(Self.flushBytes + 4096)
    }

    public func receive(_ batch: Batch<Record>) throws {
        try encode(batch, &buffer)
        recordsOut.add(batch.count)
        if target.prefersLowLatency || buffer.count >= Self.flushBytes { try flush() }
    }

    public func receiveWatermark(_ watermark: EventTime) throws {}

    /// Makes everything before the barrier durable and reports how far the output is committed:
    /// a resumed run cuts the file back to that length, so no line is written twice.
    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        try flush()
        if let committed = try target.commit() {
            lastCommit = committed
            checkpoint.addSinkState(sink: identity.sink, instance: identity.instance,
                                    path: committed.path, committedBytes: committed.bytes)
        }
    }

    /// Writes what is left and closes. After a stop with checkpoints, the output ends at the
    /// last checkpoint instead: what came after it (windows flushed early by the stop) is
    /// what the resumed run produces, so it must not be in the file twice.
    public func finish() throws {
        try flush()
        if let checkpointed {
            if checkpointed.dropUncommitted(), let lastCommit {
                try target.rewind(to: lastCommit.bytes)
            }
            if let final = try target.commit() { checkpointed.finished(final.path, final.bytes) }
        }
        try target.close()
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try target.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A sink that keeps records in memory, for tests and small programs.
public final class CollectingSink<Record>: BatchReceiver, @unchecked Sendable {
    private let results: CollectedRecords<Record>

    public init(into results: CollectedRecords<Record>) {
        self.results = results
    }

    public func receive(_ batch: Batch<Record>) throws {
        results.append(batch)
    }

    public func receiveWatermark(_ watermark: EventTime) throws {}
    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
    public func finish() throws {}
}

/// Records gathered by collecting sinks, safe to read once the pipeline has finished.
public final class CollectedRecords<Record>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var storage: [Record] = []
    private var storedTimes: [EventTime] = []

    public init() {}

    func append(_ batch: Batch<Record>) {
        lock.withLock {
            storage.append(contentsOf: batch.records)
            storedTimes.append(contentsOf: batch.times)
        }
    }

    /// Every record received, in arrival order.
    public var records: [Record] { lock.withLock { storage } }
    /// The event time of each record in `records`.
    public var times: [EventTime] { lock.withLock { storedTimes } }
}

/// A sink that only counts what reaches it.
public final class CountingSink<Record>: BatchReceiver {
    private let count: Counter

    public init(count: Counter) {
        self.count = count
    }

    public func receive(_ batch: Batch<Record>) throws { count.add(batch.count) }
    public func receiveWatermark(_ watermark: EventTime) throws {}
    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
    public func finish() throws {}
}
