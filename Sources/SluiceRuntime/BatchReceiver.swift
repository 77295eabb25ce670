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
    public private(set) var receivers: [any BatchReceiver<Record>] = []
    /// Records passed through, for metrics.
    public let records: Counter

    public init(records: Counter = Counter()) {
        self.records = records
    }

    public func connect(_ receiver: any BatchReceiver<Record>) {
        receivers.append(receiver)
    }

    public func receive(_ batch: consuming Batch<Record>) throws {
        records.add(batch.count)
        // The last receiver gets the batch itself; each other one a copy that shares its storage.
        guard let last = receivers.last else { return }
        for receiver in receivers.dropLast() { try receiver.receive(copy batch) }
        try last.receive(consume batch)
    }

    public func receiveWatermark(_ watermark: EventTime) throws {
        for receiver in receivers { try receiver.receiveWatermark(watermark) }
    }

    public func receiveIdle(_ idle: Bool) throws {
        for receiver in receivers { try receiver.receiveIdle(idle) }
    }

    public func tick(_ now: Int64) throws {
        for receiver in receivers { try receiver.tick(now) }
    }

    public func inputDrained() throws {
        for receiver in receivers { try receiver.inputDrained() }
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        for receiver in receivers { try receiver.receiveBarrier(checkpoint) }
    }

    public func finish() throws {
        for receiver in receivers { try receiver.finish() }
    }
}
