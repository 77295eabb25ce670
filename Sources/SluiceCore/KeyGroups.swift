/// Maps keys to key groups and key groups to parallel instances (design.md §3).
///
/// `keyGroup = hash(key) % maxParallelism`, fixed for the life of a pipeline's state; instance `i`
/// of `p` owns the contiguous range `[ceil(i*max/p), ceil((i+1)*max/p))`, so changing the
/// parallelism moves whole key groups between instances.
public struct KeyGroups: Sendable, Equatable {
    /// The number of key groups; the upper bound on any stage's parallelism.
    public let maxParallelism: Int
    /// `maxParallelism - 1` when `maxParallelism` is a power of two above one, else zero: the
    /// remainder is then a mask rather than a 64-bit division, on every record an exchange routes.
    @usableFromInline let remainderMask: UInt64

    public static let defaultMaxParallelism = 128

    public init(maxParallelism: Int = KeyGroups.defaultMaxParallelism) {
        precondition(maxParallelism > 0, "maxParallelism must be positive")
        self.maxParallelism = maxParallelism
        remainderMask = maxParallelism > 1 && maxParallelism & (maxParallelism - 1) == 0 ? UInt64(maxParallelism - 1) : 0
    }

    @inlinable
    public func keyGroup(forHash hash: UInt64) -> Int {
        remainderMask != 0 ? Int(truncatingIfNeeded: hash & remainderMask) : Int(hash % UInt64(maxParallelism))
    }

    @inlinable
    public func keyGroup<K: PartitionKey>(for key: K) -> Int {
        keyGroup(forHash: key.stableHash)
    }

    /// The key groups owned by `instance` of `parallelism` instances.
    public func range(instance: Int, of parallelism: Int) -> Range<Int> {
        precondition(parallelism > 0 && parallelism <= maxParallelism, "parallelism must be in 1...\(maxParallelism)")
        precondition(instance >= 0 && instance < parallelism, "instance out of range")
        return ceilDiv(instance * maxParallelism, parallelism)..<ceilDiv((instance + 1) * maxParallelism, parallelism)
    }

    /// The instance of `parallelism` that owns `keyGroup`.
    @inlinable
    public func owner(ofKeyGroup keyGroup: Int, parallelism: Int) -> Int {
        // Inverse of `range`: the largest i with ceil(i*max/p) <= keyGroup.
        (keyGroup * parallelism) / maxParallelism
    }

    /// A table from key group to owning instance, for routing without division per record.
    public func ownerTable(parallelism: Int) -> [Int] {
        (0..<maxParallelism).map { owner(ofKeyGroup: $0, parallelism: parallelism) }
    }

    private func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
