import Synchronization
import SluiceCore

/// How the checkpoint coordinator asks sources to emit a barrier: it publishes the newest
/// checkpoint id; each source instance, between two reads, injects every id it has not yet.
public final class BarrierInjector: Sendable {
    private let latest = Atomic<Int64>(0)
    public let registry: CheckpointRegistry

    public init(registry: CheckpointRegistry) {
        self.registry = registry
    }

    /// Publishes checkpoint `id` (its collector must be registered first).
    public func trigger(_ id: Int64) {
        latest.store(id, ordering: .releasing)
    }

    /// The newest checkpoint triggered (0: none yet).
    public var latestTriggered: Int64 { latest.load(ordering: .acquiring) }

    /// The checkpoints a source that last injected `injected` must inject now, in order: every
    /// one since, so that no checkpoint waits for a barrier this source skipped.
    public func pending(after injected: Int64) -> [any CheckpointCollector] {
        let id = latest.load(ordering: .acquiring)
        guard id > injected else { return [] }
        return (max(injected + 1, id - 16)...id).map { registry.collector($0) }
    }
}

/// What a source instance reports to the checkpoint coordinator besides barriers.
public protocol SourceCheckpointing: AnyObject, Sendable {
    var injector: BarrierInjector { get }
    /// The source instance read all its input: later checkpoints record nothing left to read.
    func sourceFinished(source: String, instance: Int)
}
