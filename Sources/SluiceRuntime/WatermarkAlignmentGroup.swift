import SluiceCore

/// Watermark alignment, as Flink's `withWatermarkAlignment`: the event-time assigners of a
/// group's source instances report their watermarks here, and an instance whose watermark is
/// more than `maxDrift` ahead of the slowest active member waits before it reads on.
///
/// Without it, a source instance that the scheduler favours runs ahead in event time, and
/// everything downstream keeps state for the whole gap: the merged watermark follows the
/// slowest input, so windows opened by the fast one stay open until the slow one catches up.
///
/// Idle and finished members hold nobody back. A member that has not reported yet does: its
/// watermark is `EventTime.min` until its first records, as a watermark merger sees it.
public final class WatermarkAlignmentGroup: Cancellable, @unchecked Sendable {
    /// How far (ms of event time) a member's watermark may run ahead of the slowest active one.
    public let maxDrift: Int64
    /// Why `waitWhileAhead` returned.
    enum WaitOutcome: Equatable, Sendable {
        /// The member may go on: the slowest caught up, left, or went idle.
        case aligned
        /// The wait timed out and the member is still ahead.
        case stillAhead
        /// The member must go on ahead anyway: a checkpoint barrier is due, the pipeline is
        /// stopping, or it failed.
        case interrupted
    }

    private enum Membership { case active, idle, left }

    private let lock = ConditionLock()
    private let injector: BarrierInjector?
    private let context: ExecutionContext?
    // Guarded by `lock`.
    private var watermarks: [EventTime] = []
    private var memberships: [Membership] = []
    private var waiting: [Bool] = []
    private var cancelled = false
    private var pausesBegun = 0
    /// Threads in `awaitPause`, to be woken when a member starts waiting.
    private var observers = 0
    /// Time members spent held back, in nanoseconds (a metric).
    public let waitedNanos = Counter()
    /// How many times a member was held back (a metric).
    public var pauses: Int { lock.withLock { pausesBegun } }

    /// - Parameters:
    ///   - injector: a member stops waiting when a checkpoint it has not passed on is triggered,
    ///     so that its barrier is not held back (the barrier alignment downstream could otherwise
    ///     block the slowest member's channel and wait for this one forever).
    ///   - context: a member stops waiting when the pipeline stops or fails.
    public init(maxDrift: Int64, injector: BarrierInjector? = nil, context: ExecutionContext? = nil) {
        precondition(maxDrift >= 0, "the maximum drift must not be negative")
        self.maxDrift = maxDrift
        self.injector = injector
        self.context = context
    }

    /// Adds a member (before the pipeline runs) and returns its index.
    public func join() -> Int {
        lock.withLock {
            watermarks.append(.min)
            memberships.append(.active)
            waiting.append(false)
            return watermarks.count - 1
        }
    }

    /// `member`'s watermark advanced to `watermark`.
    /// - Returns: whether `member` is now ahead (see `holdBack`).
    @discardableResult
    public func report(_ member: Int, watermark: EventTime) -> Bool {
        lock.withLock {
            if watermark > watermarks[member] {
                watermarks[member] = watermark
                wakeWaitersNoLongerAhead()
            }
            return isAheadLocked(member)
        }
    }

    /// `member` became idle (or active again): an idle member holds nobody back.
    public func setIdle(_ member: Int, _ idle: Bool) {
        lock.withLock {
            guard memberships[member] != .left else { return }
            memberships[member] = idle ? .idle : .active
            if idle { wakeWaitersNoLongerAhead() }
        }
    }

    /// `member`'s input ended: it holds nobody back any more.
    public func leave(_ member: Int) {
        lock.withLock {
            memberships[member] = .left
            wakeWaitersNoLongerAhead()
        }
    }

    /// Whether `member`'s watermark is more than `maxDrift` ahead of the slowest other active member.
    public func isAhead(_ member: Int) -> Bool {
        lock.withLock { isAheadLocked(member) }
    }

    /// Waits while `member` is ahead: until the slowest member catches up, leaves or goes idle,
    /// or a wait must end early (see `WaitOutcome.interrupted`). Calls `beforeWaiting` once if it
    /// is to wait, and `tick` about every `tickNanos` while it waits, so that the member's chain
    /// keeps its processing time.
    ///
    /// - Parameter barriersPassed: the newest checkpoint whose barrier `member` has passed on;
    ///   a newer one triggered interrupts the wait.
    public func holdBack(_ member: Int, barriersPassed: Int64, tickNanos: Int64,
                         beforeWaiting: () throws -> Void, tick: () throws -> Void) rethrows {
        var outcome = waitWhileAhead(member, barriersPassed: barriersPassed, atMostNanos: 0)
        guard outcome == .stillAhead else { return }
        try beforeWaiting()
        lock.withLock { pausesBegun += 1 }
        let start = monotonicNanos()
        defer { waitedNanos.add(Int(monotonicNanos() - start)) }
        var lastTick = start
        while outcome == .stillAhead {
            outcome = waitWhileAhead(member, barriersPassed: barriersPassed, atMostNanos: Self.waitSliceNanos)
            let now = monotonicNanos()
            if now - lastTick >= tickNanos {
                lastTick = now
                try tick()
            }
        }
    }

    /// The longest a member waits before it looks again for a checkpoint or a stop: those do not
    /// wake it.
    static let waitSliceNanos: Int64 = 10_000_000

    /// One wait of at most `nanoseconds` (none: only looks) while `member` is ahead.
    func waitWhileAhead(_ member: Int, barriersPassed: Int64, atMostNanos nanoseconds: Int64) -> WaitOutcome {
        lock.withLock {
            if interruptsWaiting(barriersPassed: barriersPassed) { return .interrupted }
            guard isAheadLocked(member) else { return .aligned }
            guard nanoseconds > 0 else { return .stillAhead }
            waiting[member] = true
            if observers > 0 { lock.broadcast() }
            defer { waiting[member] = false }
            lock.wait(nanoseconds: nanoseconds)
            if interruptsWaiting(barriersPassed: barriersPassed) { return .interrupted }
            return isAheadLocked(member) ? .stillAhead : .aligned
        }
    }

    /// Blocks until the `number`th hold-back has begun and a member waits, for at most
    /// `timeoutNanos` (tests observe a paused member without sleeping).
    /// - Returns: whether it happened in time.
    public func awaitPause(_ number: Int, timeoutNanos: Int64 = 60_000_000_000) -> Bool {
        let deadline = monotonicNanos() + timeoutNanos
        return lock.withLock {
            observers += 1
            defer { observers -= 1 }
            while pausesBegun < number || !waiting.contains(true) {
                let left = deadline - monotonicNanos()
                guard left > 0 && !cancelled else { return false }
                lock.wait(nanoseconds: left)
            }
            return true
        }
    }

    /// The pipeline failed: wakes every waiting member.
    public func cancel() {
        lock.withLock {
            cancelled = true
            lock.broadcast()
        }
    }

    private func interruptsWaiting(barriersPassed: Int64) -> Bool {
        if cancelled || context?.isStopping == true { return true }
        guard let injector else { return false }
        return injector.latestTriggered > barriersPassed
    }

    private func isAheadLocked(_ member: Int) -> Bool {
        let own = watermarks[member]
        guard own != .min else { return false }
        let (bound, overflow) = own.subtractingReportingOverflow(maxDrift)
        guard !overflow else { return false }
        for other in watermarks.indices where other != member && memberships[other] == .active {
            if watermarks[other] < bound { return true }
        }
        return false
    }

    private func wakeWaitersNoLongerAhead() {
        for member in waiting.indices where waiting[member] && !isAheadLocked(member) {
            lock.broadcast()
            return
        }
    }
}
