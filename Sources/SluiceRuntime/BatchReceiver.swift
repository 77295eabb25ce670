import SluiceCore

/// The push interface of a fused chain: each operator instance receives batches and control
/// elements from the one before it on the same thread.
///
/// Calls are per batch, never per record, so the dynamic dispatch here is paid once per
/// few hundred records.
public protocol BatchReceiver<Record>: AnyObject {
    associatedtype Record
    /// Takes the batch (`consuming`): the last receiver to get it may take its records apart
    /// (`Batch.drain`) without copying them. A receiver that only reads it may take it as a plain
    /// parameter.
    func receive(_ batch: consuming Batch<Record>) throws
    /// All inputs have passed `watermark`: no record at or below it will arrive.
    func receiveWatermark(_ watermark: EventTime) throws
    /// The input became idle (or active again): it stops (or resumes) holding watermarks back.
    func receiveIdle(_ idle: Bool) throws
    /// Processing time (epoch ms) is `now`: called every ~100 ms by the thread running the
    /// chain, for processing-time windows and idleness detection. Not passed across exchanges.
    func tick(_ now: Int64) throws
    /// The thread running the chain has taken all the input it has for now (a read returned
    /// what was there, or the gate is empty): receivers holding records back send them on.
    func inputDrained() throws
    /// Checkpoint barrier: everything before it belongs to the checkpoint. Stateful receivers
    /// hand their state to `checkpoint`, sinks make their output durable, and all pass it on.
    func receiveBarrier(_ checkpoint: any CheckpointCollector) throws
    /// The input has ended; flush what is buffered and pass the end on.
    func finish() throws
}

extension BatchReceiver {
    /// Receivers at the end of a chain (sinks) ignore idleness.
    public func receiveIdle(_ idle: Bool) throws {}
    /// Receivers at the end of a chain (sinks) ignore ticks.
    public func tick(_ now: Int64) throws {}
    /// Receivers that hold nothing back have nothing to send.
    public func inputDrained() throws {}
}

/// The output of one operator instance: passes everything to zero or more receivers.
public final class Output<Record>: BatchReceiver {
    // The receivers are kept as the last one and the others before it, and the array of others
    // is touched only when `otherCount` says it holds any: this class is compiled once for every
    // record type, and there any use of an array of `any BatchReceiver<Record>` (its count, an
    // element, an iterator) looked up the existential's type metadata, a hash-table probe per
    // batch and per watermark.
    /// The receiver connected last (nil before the first).
    @exclusivity(unchecked) private var last: (any BatchReceiver<Record>)?
    /// The receivers connected before `last`, in order.
    @exclusivity(unchecked) private var others: [any BatchReceiver<Record>] = []
    @exclusivity(unchecked) private var otherCount = 0
    /// Records passed through, for metrics.
    public let records: Counter

    public init(records: Counter = Counter()) {
        self.records = records
    }

    public func connect(_ receiver: any BatchReceiver<Record>) {
        if let last {
            others.append(last)
            otherCount += 1
        }
        last = receiver
    }

    /// Calls `body` with each receiver, in the order they were connected.
    @inline(__always)
    private func forEachReceiver(_ body: (any BatchReceiver<Record>) throws -> Void) rethrows {
        guard let last else { return }
        for i in 0..<otherCount { try body(others[i]) }
        try body(last)
    }

    public func receive(_ batch: consuming Batch<Record>) throws {
        records.add(batch.count)
        guard let last else { return }
        // The last receiver gets the batch itself; each other one a copy that shares its storage.
        for i in 0..<otherCount { try others[i].receive(copy batch) }
        try last.receive(consume batch)
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        try forEachReceiver { try $0.receiveWatermark(watermark) }
    }

    public func receiveIdle(_ idle: Bool) throws {
        try forEachReceiver { try $0.receiveIdle(idle) }
    }

    public func tick(_ now: Int64) throws {
        try forEachReceiver { try $0.tick(now) }
    }

    public func inputDrained() throws {
        try forEachReceiver { try $0.inputDrained() }
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        try forEachReceiver { try $0.receiveBarrier(checkpoint) }
    }

    public func finish() throws {
        try forEachReceiver { try $0.finish() }
    }
}
