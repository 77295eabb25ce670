import Sluice
import SluiceNexmark
import SluiceRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Releases generated events at a steady rate, shared by all source instances (event `n` is due
/// `n / eventsPerSecond` after the pacer was made), and stamps each with the wall-clock time it
/// is released, so that a row's latency is the wall-clock time since its input entered.
struct EventPacer: Sendable {
    private(set) var generator: NexmarkGenerator
    let nanosecondsPerEvent: Double
    let startNanoseconds: Int64

    /// The wall clock (µs since the epoch) at `startNanoseconds`: events are stamped from the
    /// one monotonic reading the pacing takes, not from a second clock call per event.
    let startWallMicroseconds: Int64

    init(generator: NexmarkGenerator, eventsPerSecond: Double) {
        self.generator = generator
        nanosecondsPerEvent = 1e9 / eventsPerSecond
        startNanoseconds = monotonicNanos()
        startWallMicroseconds = BenchmarkClock.wallMicroseconds()
    }

    /// This pacer, on the same schedule, with a generator of its own strings
    /// (`NexmarkGenerator.withOwnStrings`), for one source instance.
    func withOwnStrings() -> EventPacer {
        var copy = self
        copy.generator = generator.withOwnStrings()
        return copy
    }

    /// Event `n`, once it is due: a source instance that runs ahead waits, in steps of at least
    /// 100 µs so that waiting costs no CPU per event; one that falls behind catches up at once.
    func event(_ n: Int) -> NexmarkEvent {
        let due = startNanoseconds + Int64(Double(n) * nanosecondsPerEvent)
        var now = monotonicNanos()
        let ahead = due - now
        if ahead > 100_000 {
            var pause = timespec(tv_sec: Int(ahead / 1_000_000_000), tv_nsec: Int(ahead % 1_000_000_000))
            nanosleep(&pause, nil)
            now = monotonicNanos()
        }
        let wallMilliseconds = (startWallMicroseconds + (now - startNanoseconds) / 1_000) / 1_000
        return generator.event(at: Int64(n)).restamped(at: wallMilliseconds)
    }
}

extension NexmarkEvent {
    /// The event with its time moved to `dateTime` (an auction keeps its duration).
    consuming func restamped(at dateTime: Int64) -> NexmarkEvent {
        // The payload is moved out and back, not copied: a copy retains and releases its strings.
        switch consume self {
        case .person(var person):
            person.dateTime = dateTime
            return .person(person)
        case .auction(var auction):
            auction.expires += dateTime - auction.dateTime
            auction.dateTime = dateTime
            return .auction(auction)
        case .bid(var bid):
            bid.dateTime = dateTime
            return .bid(bid)
        }
    }
}
