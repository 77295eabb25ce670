import SluiceCore
import SluiceState

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
    /// A pending timer as a key of `live`, hashed from its key's stable hash, time and domain.
    @usableFromInline struct Entry: PartitionKey {
        @usableFromInline var timer: KeyedTimer<Key>

        @inlinable init(_ timer: KeyedTimer<Key>) { self.timer = timer }

        @inlinable var stableHash: UInt64 {
            let time = UInt64(bitPattern: timer.time) &<< 1 | (timer.domain == .eventTime ? 0 : 1)
            return stableMix(timer.key.stableHash ^ stableMix(time))
        }
    }

    /// Every pending timer: the truth, also what a checkpoint saves. A state table rather than a
    /// `Set`, which hashed each timer registered and fired with SipHash (2 % of q4).
    @usableFromInline var live = KeyedStateTable<Entry, Void>()
    @usableFromInline var eventTime = TimerQueue<Key>()
    @usableFromInline var processingTime = TimerQueue<Key>()

    @inlinable init() {}

    @inlinable var isEmpty: Bool { live.isEmpty }

    /// Every pending timer, in no particular order.
    var all: [KeyedTimer<Key>] { Self.timers(in: live) }

    /// The timers of a table of live timers (a snapshot's copy of `live`).
    static func timers(in live: KeyedStateTable<Entry, Void>) -> [KeyedTimer<Key>] {
        var timers: [KeyedTimer<Key>] = []
        live.forEach { entry, _ in timers.append(entry.timer) }
        return timers
    }

    @inlinable mutating func register(_ timer: KeyedTimer<Key>) {
        var inserted = false
        live.update(Entry(timer), default: { inserted = true }) { _ in }
        guard inserted else { return }
        switch timer.domain {
        case .eventTime: eventTime.schedule(timer.key, at: timer.time)
        case .processingTime: processingTime.schedule(timer.key, at: timer.time)
        }
    }

    @inlinable mutating func delete(_ timer: KeyedTimer<Key>) {
        live.removeValue(forKey: Entry(timer))
    }

    /// Removes and returns the earliest live timer of `domain` due at `time`, if any.
    @inlinable mutating func popDue(_ domain: TimeDomain, at time: Int64) -> KeyedTimer<Key>? {
        while true {
            let popped = domain == .eventTime ? eventTime.popTimer(dueAt: time) : processingTime.popTimer(dueAt: time)
            guard let popped else { return nil }
            let timer = KeyedTimer(key: popped.payload, time: popped.time, domain: domain)
            if live.removeValue(forKey: Entry(timer)) != nil { return timer }
        }
    }
}
