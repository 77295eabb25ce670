#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CAllocator
import Synchronization

/// The C allocator's settings for a running pipeline, set once per process.
///
/// Batches of up to a few hundred kilobytes are allocated and freed over and over. glibc's
/// defaults hand freed memory at the top of an arena back to the kernel once more than 128 KB
/// is free there, so the next batch faults its pages in again: q1 from a file took
/// 57,000 page faults and 0.7 s of system time for 10 M events, against 1,700 and 0.25 s with
/// the memory kept, and ran 12 % faster. Peak memory is unchanged (only memory already used is
/// kept); what stays mapped after a burst is at most ``trimBytes`` per arena.
public enum AllocatorSettings {
    /// Free memory an arena keeps at its top before trimming.
    public static let trimBytes = 8 << 20
    /// Blocks of at least this size are mapped on their own (and unmapped when freed).
    public static let mmapBytes = 4 << 20

    /// Applies the settings, unless `GLIBC_TUNABLES` already sets malloc's: a user's own
    /// tuning wins. Only the first call does anything.
    /// - Returns: whether this call applied them (false off glibc, when the user tuned malloc,
    ///   and on every call after the first).
    @discardableResult
    public static func apply() -> Bool {
        guard !attempted.exchange(true, ordering: .acquiringAndReleasing) else { return false }
        if let tunables = getenv("GLIBC_TUNABLES"), String(cString: tunables).contains("glibc.malloc.") {
            return false
        }
        return sluice_keep_freed_memory(trimBytes, mmapBytes) != 0
    }

    private static let attempted = Atomic<Bool>(false)
}
