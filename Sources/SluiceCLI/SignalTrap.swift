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
        // A parent may start us with these signals blocked (a mask is inherited through exec,
        // and thread pools block signals): unblock them, or a stop request would never arrive.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT) { _ in SignalTrap.received.store(1, ordering: .relaxed) }
        signal(SIGTERM) { _ in SignalTrap.received.store(1, ordering: .relaxed) }
    }

    static var stopRequested: Bool { received.load(ordering: .relaxed) != 0 }
}
