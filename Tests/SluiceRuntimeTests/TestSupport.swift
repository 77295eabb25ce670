import Dispatch
import SluiceCore
import SluiceRuntime

/// What a recording receiver saw, in order.
enum ReceivedEvent<Record: Equatable>: Equatable {
    case batch([Record], [EventTime])
    case watermark(EventTime)
    case barrier(Int64)
    /// `inputDrained`, recorded only by receivers made with `recordsDrained`.
    case drained
    case finish
}

/// A receiver that records everything it is given and signals a semaphore for each event,
/// so that a test can wait for an effect instead of sleeping.
final class RecordingReceiver<Record: Equatable>: BatchReceiver, @unchecked Sendable {
    private let lock = ConditionLock()
    private var log: [ReceivedEvent<Record>] = []
    let signal = DispatchSemaphore(value: 0)
    private let recordsDrained: Bool

    /// - Parameter recordsDrained: log `inputDrained` calls too (most tests leave them out).
    init(recordsDrained: Bool = false) {
        self.recordsDrained = recordsDrained
    }

    func receive(_ batch: Batch<Record>) throws { append(.batch(Array(batch.records), Array(batch.times))) }
    func receiveWatermark(_ watermark: EventTime) throws { append(.watermark(watermark)) }
    func receiveBarrier(_ checkpoint: any CheckpointCollector) throws { append(.barrier(checkpoint.checkpointID)) }
    func inputDrained() throws { if recordsDrained { append(.drained) } }
    func finish() throws { append(.finish) }

    private func append(_ event: ReceivedEvent<Record>) {
        lock.withLock { log.append(event) }
        signal.signal()
    }

    var events: [ReceivedEvent<Record>] { lock.withLock { log } }
}

/// A list shared between threads, for logging the order of events.
final class SharedLog<Element>: @unchecked Sendable {
    private let lock = ConditionLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }
}

/// Everything currently buffered in a gate, per channel (the gate must not be empty-blocking:
/// the caller says how many elements to take).
func drain<Record>(_ gate: InputGate<Record>, count: Int) -> [(channel: Int, element: StreamElement<Record>)] {
    (0..<count).compactMap { _ in gate.take() }
}

extension StreamElement {
    var records: [Record]? {
        if case .batch(let batch) = self { return Array(batch.records) }
        return nil
    }
    var times: [EventTime]? {
        if case .batch(let batch) = self { return Array(batch.times) }
        return nil
    }
    var watermark: EventTime? {
        if case .watermark(let watermark) = self { return watermark }
        return nil
    }
    var isEnd: Bool {
        if case .end = self { return true }
        return false
    }
}

func batch<Record>(_ records: [Record], times: [EventTime]? = nil) -> Batch<Record> {
    Batch(records: ContiguousArray(records), times: ContiguousArray(times ?? records.indices.map { EventTime($0) }))
}

/// A record that counts, in `LiveRecords`, how many of its kind are alive: for checking that
/// a gate or an exchange frees the records it still holds when it is freed itself.
final class LiveRecord: Sendable {
    private let live: LiveRecords

    init(_ live: LiveRecords) {
        self.live = live
        live.made.add(1)
    }

    deinit { live.freed.add(1) }
}

/// Counts the `LiveRecord`s made and freed (`Counter`s only go up).
final class LiveRecords: Sendable {
    fileprivate let made = Counter()
    fileprivate let freed = Counter()
    var alive: Int { made.value - freed.value }
    /// A batch of `n` new records.
    func batch(_ n: Int) -> Batch<LiveRecord> {
        Batch(records: ContiguousArray((0..<n).map { _ in LiveRecord(self) }), times: ContiguousArray(repeating: 0, count: n))
    }
}
