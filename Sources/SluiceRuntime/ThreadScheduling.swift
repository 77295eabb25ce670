import CThreads

/// How the kernel schedules a pipeline's instance threads.
///
/// At parallelism 2 on two cores, a pipeline has at least four instance threads (two sources, two
/// keyed instances), so the cores are shared. Under the normal policy every batch put into an
/// empty gate wakes its reader, which preempts the producer running on that core: q5 on 10 M
/// generated events made about 30,000 context switches, each leaving the caches to the other
/// thread. Under `batch` the woken reader waits until the running thread's slice ends (a few
/// milliseconds), and then finds several batches: about 6,200 switches, and q5 ran 5–10 % faster
/// at P=2 (docs/performance.md, "Threads that share the cores"). A core with nothing else to run
/// starts a woken thread at once under either policy, so latency below saturation does not
/// change (q1 p99 at half the maximum rate: 1.8 and 1.7 ms).
public enum ThreadScheduling: String, Sendable, CaseIterable {
    /// The kernel's default (`SCHED_OTHER`): a woken thread may preempt the running one.
    case normal
    /// Linux's `SCHED_BATCH`, for CPU-bound threads: a woken thread does not preempt.
    case batch

    /// Applies the policy to the calling thread. `normal` is set, not assumed: a new thread
    /// inherits its creator's policy.
    /// - Returns: 0, or the error number of a policy the system refused (off Linux, `batch`
    ///   is not supported); the thread then keeps the policy it had.
    @discardableResult
    public func applyToCurrentThread() -> Int32 {
        sluice_set_current_thread_batch(self == .batch ? 1 : 0)
    }

    /// The calling thread's policy, as far as this type knows it (nil: another policy, or
    /// none could be read).
    public static var currentThread: ThreadScheduling? {
        switch sluice_current_thread_policy() {
        case 0: .normal
        case 3: .batch
        default: nil
        }
    }
}
