#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock of the latency benchmarks (pacing uses SluiceRuntime's `monotonicNanos()`).
public enum BenchmarkClock {
    /// Microseconds since the epoch, by the system's real-time clock, which event times (epoch ms)
    /// are compared with.
    public static func wallMicroseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    /// Milliseconds since the epoch.
    public static func wallMilliseconds() -> Int64 { wallMicroseconds() / 1_000 }
}
