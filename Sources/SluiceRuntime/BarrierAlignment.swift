/// Which channels of a gate are held back while a checkpoint barrier is being aligned.
public struct BarrierAlignment: Sendable, Equatable {
    private let channels: Int
    private var ended: Set<Int> = []
    private var delivered: Set<Int> = []
    private var pending: Int64?

    public init(channels: Int) {
        self.channels = channels
    }

    /// The channels not to read until the pending barrier is aligned.
    public var blocked: Set<Int> { delivered }

    /// Barrier `id` arrived on `channel`. Returns the id once every open channel delivered it.
    public mutating func barrier(_ id: Int64, from channel: Int) -> Int64? {
        if pending == nil { pending = id }
        delivered.insert(channel)
        return completeIfAligned()
    }

    /// `channel` ended: it no longer has to deliver the pending barrier.
    public mutating func end(_ channel: Int) -> Int64? {
        ended.insert(channel)
        return completeIfAligned()
    }

    private mutating func completeIfAligned() -> Int64? {
        guard let id = pending, delivered.union(ended).count == channels else { return nil }
        pending = nil
        delivered = []
        return id
    }
}
