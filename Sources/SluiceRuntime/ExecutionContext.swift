import Synchronization
import SluiceCore

/// What every instance of a running pipeline shares: the stop and failure state, and the
/// blocking objects to wake when either happens.
public final class ExecutionContext: Sendable {
    private struct State {
        var failure: (any Error)?
        var cancellables: [any Cancellable] = []
        var beforeStop: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)
    private let failed = Atomic<Bool>(false)

    public init() {}

    /// True once a stop was requested (SIGINT/SIGTERM) or the pipeline failed:
    /// sources stop reading and end their streams.
    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// True once an instance failed: everything is being torn down.
    public var isFailed: Bool { failed.load(ordering: .relaxed) }

    /// The first error any instance reported.
    public var failure: (any Error)? { state.withLock { $0.failure } }

    public func register(_ cancellable: any Cancellable) {
        let cancelNow = state.withLock { state -> Bool in
            state.cancellables.append(cancellable)
            return state.failure != nil
        }
        if cancelNow { cancellable.cancel() }
    }

    /// Runs `action` when a stop is requested, before sources see it (a final checkpoint).
    public func onStopRequested(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.beforeStop.append(action) }
    }

    /// Asks sources to stop reading; what they read so far still flows to the sinks.
    public func requestStop() {
        guard !stopping.load(ordering: .relaxed) else { return }
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            defer { state.beforeStop = [] }
            return state.beforeStop
        }
        for action in actions { action() }
        stopping.store(true, ordering: .relaxed)
    }

    /// Records the first failure and wakes every blocked instance so that none hangs.
    public func fail(_ error: any Error) {
        let toCancel = state.withLock { state -> [any Cancellable] in
            guard state.failure == nil else { return [] }
            state.failure = error
            return state.cancellables
        }
        failed.store(true, ordering: .relaxed)
        stopping.store(true, ordering: .relaxed)
        for cancellable in toCancel { cancellable.cancel() }
    }
}
