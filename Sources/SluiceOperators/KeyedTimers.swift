import SluiceCore

/// A timer of a keyed process function: a key, a time and the clock it follows.
public struct KeyedTimer<Key: PartitionKey>: Hashable, Sendable {
    public var key: Key
    public var time: Int64
    public var domain: TimeDomain

    @inlinable
    public init(key: Key, time: Int64, domain: TimeDomain) {
        self.key = key
        self.time = time
        self.domain = domain
    }
}

/// The pending timers of a keyed process operator.
///
/// As in Flink, a key has at most one timer per time and domain: registering it again does
/// nothing. Deleting a timer only forgets it; its heap entry is skipped when it comes out.
@usableFromInline struct KeyedTimers<Key: PartitionKey> {
    /// Every pending timer: the truth, also what a checkpoint saves.
    @usableFromInline var live: Set<KeyedTimer<Key>> = []
    @usableFromInline var eventTime = TimerQueue<Key>()
    @usableFromInline var processingTime = TimerQueue<Key>()

    @inlinable init() {}

    @inlinable var isEmpty: Bool { live.isEmpty }

    @inlinable mutating func register(_ timer: KeyedTimer<Key>) {
        guard live.insert(timer).inserted else { return }
        switch timer.domain {
        case .eventTime: eventTime.schedule(timer.key, at: timer.time)
        case .processingTime: processingTime.schedule(timer.key, at: timer.time)
        }
    }

    @inlinable mutating func delete(_ timer: KeyedTimer<Key>) {
        live.remove(timer)
    }

    /// Removes and returns the earliest live timer of `domain` due at `time`, if any.
    @inlinable mutating func popDue(_ domain: TimeDomain, at time: Int64) -> KeyedTimer<Key>? {
        while true {
            let popped = domain == .eventTime ? eventTime.popTimer(dueAt: time) : processingTime.popTimer(dueAt: time)
            guard let popped else { return nil }
            let timer = KeyedTimer(key: popped.payload, time: popped.time, domain: domain)
            if live.remove(timer) != nil { return timer }
        }
    }
}
