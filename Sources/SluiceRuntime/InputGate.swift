#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// The bounded inbox of one parallel instance: one FIFO channel per upstream producer, all
/// behind one lock, so the reader can wait on "any channel has data".
///
/// Each channel holds at most `capacity` elements; a producer that finds its channel full
/// blocks (backpressure), so memory is bounded by capacity × batch size × channels.
/// Channels are kept apart, not merged, so that the reader knows which producer each element
/// came from (per-input watermarks, end of stream, and barrier alignment need that).
public final class InputGate<Record>: Cancellable, @unchecked Sendable {
    private let lock = ConditionLock()
    private var rings: [Ring]
    private var buffered = 0
    private var cancelled = false
    private var waitingProducers = 0
    private var waitingReader = false
    private var rotation = 0
    public let capacity: Int
    /// Nanoseconds producers spent blocked on a full channel.
    public let blockedNanos = Counter()

    private struct Ring {
        var slots: ContiguousArray<StreamElement<Record>?>
        var head = 0
        var count = 0
    }

    public init(channels: Int, capacity: Int = 4) {
        precondition(channels > 0 && capacity > 0)
        self.capacity = capacity
        rings = Array(repeating: Ring(slots: ContiguousArray(repeating: nil, count: capacity)), count: channels)
    }

    public var channelCount: Int { rings.count }

    /// Appends `element` to `channel`, waiting while it is full.
    /// - Returns: false when the gate was cancelled (the pipeline is failing or stopping).
    @discardableResult
    public func put(_ element: StreamElement<Record>, channel: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if rings[channel].count == capacity && !cancelled {
            let started = monotonicNanos()
            var spins = 0
            while rings[channel].count == capacity && !cancelled {
                // A short spin lets a reader that is about to take an element do so
                // without a sleep/wake round trip.
                if spins < 8 {
                    spins += 1
                    lock.unlock()
                    sched_yield()
                    lock.lock()
                    continue
                }
                waitingProducers += 1
                lock.wait()
                waitingProducers -= 1
            }
            blockedNanos.add(Int(monotonicNanos() - started))
        }
        if cancelled { return false }
        let tail = (rings[channel].head + rings[channel].count) % capacity
        rings[channel].slots[tail] = element
        rings[channel].count += 1
        buffered += 1
        if waitingReader { lock.broadcast() }
        return true
    }

    /// What a timed take found.
    public enum Taken {
        case element(channel: Int, StreamElement<Record>)
        case timedOut
        case cancelled
    }

    /// Removes the oldest element of any channel not in `blocked`, waiting while there is none.
    /// - Returns: nil when the gate was cancelled.
    public func take(blocked: Set<Int> = []) -> (channel: Int, element: StreamElement<Record>)? {
        switch take(blocked: blocked, timeoutNanos: nil) {
        case .element(let channel, let element): (channel, element)
        case .timedOut, .cancelled: nil
        }
    }

    /// As `take(blocked:)`, but gives up after `timeoutNanos` (nil: never).
    public func take(blocked: Set<Int> = [], timeoutNanos: Int64?) -> Taken {
        lock.lock()
        defer { lock.unlock() }
        rotation &+= 1
        let deadline = timeoutNanos.map { monotonicNanos() + $0 }
        while true {
            if cancelled { return .cancelled }
            if buffered > 0 {
                let n = rings.count
                for offset in 0..<n {
                    let channel = (rotation + offset) % n
                    if rings[channel].count > 0 && !blocked.contains(channel) {
                        return .element(channel: channel, pop(channel))
                    }
                }
            }
            waitingReader = true
            if let deadline {
                let remaining = deadline - monotonicNanos()
                if remaining <= 0 {
                    waitingReader = false
                    return .timedOut
                }
                lock.wait(nanoseconds: remaining)
            } else {
                lock.wait()
            }
            waitingReader = false
        }
    }

    private func pop(_ channel: Int) -> StreamElement<Record> {
        let head = rings[channel].head
        let element = rings[channel].slots[head]!
        rings[channel].slots[head] = nil
        rings[channel].head = (head + 1) % capacity
        rings[channel].count -= 1
        buffered -= 1
        if waitingProducers > 0 { lock.broadcast() }
        return element
    }

    /// Wakes every waiter; later puts and takes return at once.
    public func cancel() {
        lock.withLock {
            cancelled = true
            lock.broadcast()
        }
    }
}
