import SluiceCore

/// What a keyed process function sees besides its state and record: the record's key and
/// event time, the operator's clocks, a way to emit results (stamped with that time), and its
/// key's timers and state.
public struct KeyedEmitter<Key: PartitionKey, Output> {
    /// The key of the record being processed (or of the timer firing).
    public var key: Key
    /// The event time of the record being processed; in an event-time timer, the timer's time.
    public var time: EventTime
    @usableFromInline var output: Batch<Output>
    @usableFromInline var currentWatermark: EventTime
    @usableFromInline var currentProcessingTime: Int64
    /// Timers registered (`true`) or deleted (`false`) by the function, applied when it returns.
    @usableFromInline var timerChanges: [(timer: KeyedTimer<Key>, register: Bool)] = []
    @usableFromInline var clearsState = false

    @inlinable
    init(key: Key, output: Batch<Output>, watermark: EventTime = .noTime, processingTime: Int64 = 0) {
        self.key = key
        self.time = .noTime
        self.output = output
        self.currentWatermark = watermark
        self.currentProcessingTime = processingTime
    }

    /// The operator's watermark: every record with an earlier time has been seen.
    @inlinable public var watermark: EventTime { currentWatermark }

    /// The operator's processing-time clock (epoch milliseconds), advanced by the runtime's ticks.
    @inlinable public var processingTime: Int64 { currentProcessingTime }

    /// Emits `record` downstream with the current record's event time.
    @inlinable
    public mutating func emit(_ record: Output) {
        output.append(record, time: time)
    }

    /// Calls the step's `onTimer` for this key once the watermark reaches `time` (at once, on
    /// the next watermark, if it already has). A key has one timer per time: registering the
    /// same time twice fires once.
    @inlinable
    public mutating func registerEventTimeTimer(at time: EventTime) {
        changeTimer(at: time, .eventTime, register: true)
    }

    /// Calls the step's `onTimer` for this key once the processing-time clock reaches `time`.
    @inlinable
    public mutating func registerProcessingTimeTimer(at time: Int64) {
        changeTimer(at: time, .processingTime, register: true)
    }

    /// Cancels this key's event-time timer at `time`, if there is one.
    @inlinable
    public mutating func deleteEventTimeTimer(at time: EventTime) {
        changeTimer(at: time, .eventTime, register: false)
    }

    /// Cancels this key's processing-time timer at `time`, if there is one.
    @inlinable
    public mutating func deleteProcessingTimeTimer(at time: Int64) {
        changeTimer(at: time, .processingTime, register: false)
    }

    @inlinable
    mutating func changeTimer(at time: Int64, _ domain: TimeDomain, register: Bool) {
        timerChanges.append((KeyedTimer(key: key, time: time, domain: domain), register))
    }

    /// Drops this key's state when the function returns (its next record starts from the
    /// initial state): what keeps the state of an endless stream of keys bounded. Its timers stay.
    @inlinable
    public mutating func clearState() {
        clearsState = true
    }
}
