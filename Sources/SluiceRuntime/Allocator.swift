import CAllocator

/// The memory allocator behind every Sluice binary: mimalloc, linked in place of the C
/// library's `malloc`.
///
/// A pipeline allocates in a pattern glibc's `malloc` serves badly. A source instance makes the
/// strings of a thousand records, and they are freed together when their batch is dropped,
/// often on another thread. Seven of them fit glibc's per-thread cache. The rest went through
/// its arena bins, and freeing a batch's array consolidated them all again. That came to about
/// 680 instructions per event of q0 from a file, 10 % of the whole. mimalloc keeps free lists
/// per page and takes frees from other threads without a lock. q0 from a file runs 13 % faster
/// with it, and the queries on generated events 20–36 % faster (docs/performance.md).
///
/// The link is Debian's `libmimalloc-dev`. `MIMALLOC_*` environment variables tune it (see
/// mimalloc's documentation); `MIMALLOC_VERBOSE=1` prints its settings at start.
public enum Allocator {
    /// Whether `malloc`, as the Swift runtime and the C library call it, is mimalloc's. It is
    /// when libmimalloc comes before the C library in the binary's link, as SwiftPM links it.
    public static var mallocIsMimalloc: Bool { sluice_malloc_is_mimalloc() }

    /// Whether `pointer` lies in memory mimalloc manages: true for what the Swift runtime
    /// allocates (array and string storage, class instances) when ``mallocIsMimalloc`` holds.
    public static func manages(_ pointer: UnsafeRawPointer) -> Bool { mi_is_in_heap_region(pointer) }

    /// mimalloc's version, such as "2.0.9".
    public static var mimallocVersion: String {
        let version = Int(sluice_mimalloc_version())
        return "\(version / 100).\(version / 10 % 10).\(version % 10)"
    }
}
