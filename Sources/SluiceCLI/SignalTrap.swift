#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Turns SIGINT and SIGTERM into a flag that the progress watcher polls; the handler itself
/// only stores, which is all a signal handler may safely do.
enum SignalTrap {
    private static let received = Atomic<Int32>(0)

    static func install() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT) { _ in SignalTrap.received.store(1, ordering: .relaxed) }
        signal(SIGTERM) { _ in SignalTrap.received.store(1, ordering: .relaxed) }
    }

    static var stopRequested: Bool { received.load(ordering: .relaxed) != 0 }
}
