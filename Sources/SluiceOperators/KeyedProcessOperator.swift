import SluiceCore
import SluiceState

/// The general keyed operator: one `State` value per key, updated by a user function that
/// may emit any number of results per record, and, with `onTimer`, per-key timers in event
/// time and processing time.
///
/// Every keyed operator (reduce, aggregate, and the windows and joins built later) keeps
/// its state per key the same way, so that it can be split by key group.
///
/// - **Timers** follow Flink's `KeyedProcessFunction`: the function registers them through its
///   emitter; an event-time timer fires when the watermark reaches its time, a processing-time
///   one when the clock does, calling `onTimer` with the key's state. Results of an event-time
///   timer carry the timer's time. A timer registered while timers fire fires in the same pass
///   if it is already due.
/// - **End of input**: the watermark goes to the end of time, so every event-time timer fires;
///   the processing-time timers pending at that moment fire once, in time order (a timer they
///   register in turn does not: the clock stops with the input).
public struct KeyedProcessOperator<Key: PartitionKey, Input, State, Output>: BatchOperator {
    public typealias Function = (inout State, Input, inout KeyedEmitter<Key, Output>) throws -> Void
    public typealias TimerFunction = (inout State, KeyedTimer<Key>, inout KeyedEmitter<Key, Output>) throws -> Void

    public let key: (Input) -> Key
    public let initialState: () -> State
    public let function: Function
    /// Called when a timer fires; without it, registering a timer is an error.
    public let onTimer: TimerFunction?
    /// The state of every key this instance has seen.
    public var states: KeyedStateTable<Key, State> { table }
    /// The timers registered and not yet fired or deleted.
    public var pendingTimers: Set<KeyedTimer<Key>> { Set(timers.all) }
    @usableFromInline var table = KeyedStateTable<Key, State>()
    @usableFromInline var timers = KeyedTimers<Key>()
    @usableFromInline var watermark: EventTime = .noTime
    @usableFromInline var clock: Int64 = 0

    @inlinable
    public init(key: @escaping (Input) -> Key, initialState: @escaping () -> State, function: @escaping Function,
                onTimer: TimerFunction? = nil) {
        self.key = key
        self.initialState = initialState
        self.function = function
        self.onTimer = onTimer
    }

    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        guard !batch.isEmpty else { return }
        // Read once: a stored closure read per record is retained and released per record.
        let key = key, initialState = initialState, function = function
        var emitter = KeyedEmitter<Key, Output>(key: key(batch.records[0]), output: output,
                                                watermark: watermark, processingTime: clock)
        output = Batch()
        defer { output = emitter.output }
        for i in 0..<batch.count {
            let record = batch.records[i]
            let recordKey = key(record)
            emitter.key = recordKey
            emitter.time = batch.times[i]
            try table.update(recordKey, default: initialState) { state in try function(&state, record, &emitter) }
            if emitter.clearsState {
                emitter.clearsState = false
                table.removeValue(forKey: recordKey)
            }
        }
        if !emitter.timerChanges.isEmpty { try applyTimerChanges(&emitter) }
    }

    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        self.watermark = Swift.max(self.watermark, watermark)
        try fireTimers(.eventTime, dueAt: self.watermark, into: &output)
    }

    @inlinable
    public mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws {
        clock = Swift.max(clock, now)
        try fireTimers(.processingTime, dueAt: clock, into: &output)
    }

    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        try onWatermark(.endOfTime, into: &output)
        var pending: [KeyedTimer<Key>] = []
        while let timer = timers.popDue(.processingTime, at: .max) { pending.append(timer) }
        guard let first = pending.first else { return }
        var emitter = KeyedEmitter<Key, Output>(key: first.key, output: output, watermark: watermark, processingTime: clock)
        output = Batch()
        defer { output = emitter.output }
        for timer in pending {
            clock = Swift.max(clock, timer.time)
            emitter.currentProcessingTime = clock
            try fire(timer, with: &emitter)
        }
    }

    /// Fires, in time order, every timer of `domain` due at `time`, including those that the
    /// timers themselves register.
    @inlinable
    mutating func fireTimers(_ domain: TimeDomain, dueAt time: Int64, into output: inout Batch<Output>) throws {
        guard !timers.isEmpty, let first = timers.popDue(domain, at: time) else { return }
        var emitter = KeyedEmitter<Key, Output>(key: first.key, output: output, watermark: watermark, processingTime: clock)
        output = Batch()
        defer { output = emitter.output }
        var next: KeyedTimer<Key>? = first
        while let timer = next {
            try fire(timer, with: &emitter)
            next = timers.popDue(domain, at: time)
        }
    }

    @inlinable
    mutating func fire(_ timer: KeyedTimer<Key>, with emitter: inout KeyedEmitter<Key, Output>) throws {
        guard let onTimer else { return }
        emitter.key = timer.key
        emitter.time = timer.domain == .eventTime ? timer.time : .noTime
        try table.update(timer.key, default: initialState) { state in try onTimer(&state, timer, &emitter) }
        if emitter.clearsState {
            emitter.clearsState = false
            table.removeValue(forKey: timer.key)
        }
        if !emitter.timerChanges.isEmpty { try applyTimerChanges(&emitter) }
    }

    @inlinable
    mutating func applyTimerChanges(_ emitter: inout KeyedEmitter<Key, Output>) throws {
        guard onTimer != nil else {
            throw PipelineError("a keyed process function registered or deleted a timer, but its step has no onTimer function to call")
        }
        for (timer, register) in emitter.timerChanges {
            if register { timers.register(timer) } else { timers.delete(timer) }
        }
        emitter.timerChanges.removeAll(keepingCapacity: true)
    }
}
