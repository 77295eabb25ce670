import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A binary run to its end, timed from spawn to reaping with `posix_spawn` and `waitpid`:
/// Foundation's `Process` notices an exit tens of milliseconds late, which a startup time or a
/// short run would count.
public struct ChildRun {
    /// The wait status (0: exited with 0).
    public var status: Int32
    public var seconds: Double
    /// The child's peak resident memory (`VmHWM`), sampled every 10 ms, in KiB (0 if not sampled).
    public var peakKilobytes: Int

    /// Runs `executable` with `arguments`, its stdout and stderr inherited.
    /// - Parameters:
    ///   - sampleMemory: sample the child's high-water mark while it runs (a thread of its own
    ///     reads `/proc`; `getrusage(RUSAGE_CHILDREN)` would report this process's peak).
    ///   - environment: variables to set in the child, on top of this process's environment.
    public static func run(_ executable: String, _ arguments: [String], sampleMemory: Bool = false,
                           environment: [String: String] = [:]) throws -> ChildRun {
        let pointers: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var environmentPointers: [UnsafeMutablePointer<CChar>?] = []
        if !environment.isEmpty {
            let variables = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            environmentPointers = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { for pointer in environmentPointers { free(pointer) } }
        var child: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        let code = environmentPointers.isEmpty
            ? posix_spawn(&child, executable, nil, nil, pointers, environ)
            : posix_spawn(&child, executable, nil, nil, pointers, environmentPointers)
        guard code == 0 else {
            throw NSError(domain: "bench", code: Int(code),
                          userInfo: [NSLocalizedDescriptionKey: "cannot start \(executable): \(String(cString: strerror(code)))"])
        }
        let sampler = sampleMemory ? MemorySampler(pid: child) : nil
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ChildRun(status: status, seconds: seconds, peakKilobytes: sampler?.stop() ?? 0)
    }
}

/// Samples a process's `VmHWM` every 10 ms on a thread of its own until stopped.
private final class MemorySampler: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var peak = 0
    private var finished = false

    init(pid: pid_t) {
        Thread { [self] in
            condition.lock()
            while !stopped {
                condition.unlock()
                let sample = highWaterKilobytes(of: pid)
                condition.lock()
                peak = max(peak, sample)
                _ = condition.wait(until: Date().addingTimeInterval(0.01))
            }
            finished = true
            condition.broadcast()
            condition.unlock()
        }.start()
    }

    /// Stops sampling and returns the highest sample.
    func stop() -> Int {
        condition.lock()
        defer { condition.unlock() }
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        return peak
    }
}
