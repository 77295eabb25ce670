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
    /// Channel `c`'s ring is `slots[c * capacity ..< (c + 1) * capacity]`, its oldest element at
    /// `heads[c]`, `counts[c]` of them. Plain buffers rather than an array of rings: this class is
    /// compiled once for every record type, and there each access to an array of a generic
    /// element looked up the array's type metadata (a hash-table probe per put and per take).
    private let slots: UnsafeMutablePointer<StreamElement<Record>?>
    private let heads: UnsafeMutablePointer<Int>
    private let counts: UnsafeMutablePointer<Int>
    /// The number of channels: one per upstream producer.
    public let channelCount: Int
    private var buffered = 0
    private var cancelled = false
    private var waitingProducers = 0
    private var waitingReader = false
    private var rotation = 0
    public let capacity: Int
    /// Nanoseconds producers spent blocked on a full channel.
    public let blockedNanos = Counter()

    public init(channels: Int, capacity: Int = 4) {
        precondition(channels > 0 && capacity > 0)
        self.capacity = capacity
        channelCount = channels
        slots = .allocate(capacity: channels * capacity)
        slots.initialize(repeating: nil, count: channels * capacity)
        heads = .allocate(capacity: channels)
        heads.initialize(repeating: 0, count: channels)
        counts = .allocate(capacity: channels)
        counts.initialize(repeating: 0, count: channels)
    }

    deinit {
        slots.deinitialize(count: channelCount * capacity).deallocate()
        heads.deallocate()
        counts.deallocate()
    }

    /// Appends `element` to `channel`, waiting while it is full.
    /// - Returns: false when the gate was cancelled (the pipeline is failing or stopping).
    @discardableResult
    public func put(_ element: StreamElement<Record>, channel: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        precondition(channel >= 0 && channel < channelCount, "no channel \(channel)")
        if counts[channel] == capacity && !cancelled {
            let started = monotonicNanos()
            var spins = 0
            while counts[channel] == capacity && !cancelled {
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
        let tail = (heads[channel] + counts[channel]) % capacity
        slots[channel * capacity + tail] = element
        counts[channel] += 1
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
                let n = channelCount
                for offset in 0..<n {
                    let channel = (rotation + offset) % n
                    if counts[channel] > 0 && !blocked.contains(channel) {
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
        let head = heads[channel]
        let element = (slots + channel * capacity + head).move()!
        (slots + channel * capacity + head).initialize(to: nil)
        heads[channel] = (head + 1) % capacity
        counts[channel] -= 1
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
