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
    let generator: NexmarkGenerator
    let nanosecondsPerEvent: Double
    let startNanoseconds: Int64

    init(generator: NexmarkGenerator, eventsPerSecond: Double) {
        self.generator = generator
        nanosecondsPerEvent = 1e9 / eventsPerSecond
        startNanoseconds = monotonicNanos()
    }

    /// Event `n`, once it is due: a source instance that runs ahead waits, in steps of at least
    /// 100 µs so that waiting costs no CPU per event; one that falls behind catches up at once.
    func event(_ n: Int) -> NexmarkEvent {
        let due = startNanoseconds + Int64(Double(n) * nanosecondsPerEvent)
        let ahead = due - monotonicNanos()
        if ahead > 100_000 {
            var pause = timespec(tv_sec: Int(ahead / 1_000_000_000), tv_nsec: Int(ahead % 1_000_000_000))
            nanosleep(&pause, nil)
        }
        return generator.event(at: Int64(n)).restamped(at: BenchmarkClock.wallMilliseconds())
    }
}

extension NexmarkEvent {
    /// The event with its time moved to `dateTime` (an auction keeps its duration).
    func restamped(at dateTime: Int64) -> NexmarkEvent {
        switch self {
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
