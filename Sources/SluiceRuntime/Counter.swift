import Synchronization

/// A monotonically increasing count shared between threads (metrics, progress).
public final class Counter: Sendable {
    private let storage = Atomic<Int>(0)

    public init() {}

    @inline(__always)
    public func add(_ amount: Int) {
        storage.add(amount, ordering: .relaxed)
    }

    public var value: Int { storage.load(ordering: .relaxed) }
}
