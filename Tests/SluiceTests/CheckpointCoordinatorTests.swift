import Synchronization
import Testing
@testable import SluiceDSL
import SluiceCore

/// Storage that fails the checkpoints it is told to and records the others.
final class FlakyStorage: CheckpointStorage, @unchecked Sendable {
    let failing: Set<Int64>
    let written = Mutex<[Int64]>([])

    init(failing: Set<Int64>) { self.failing = failing }

    func write(_ contents: CheckpointContents) throws {
        if failing.contains(contents.id) { throw PipelineError("No space left on device (simulated)") }
        written.withLock { $0.append(contents.id) }
    }
}

@Suite("Checkpoint coordinator")
struct CheckpointCoordinatorTests {
    /// Triggers a checkpoint and acknowledges it from every chain, as sources and gate readers do.
    func complete(_ coordinator: CheckpointCoordinator, chains: Int) {
        coordinator.trigger()
        for checkpoint in coordinator.injector.pending(after: 0).suffix(1) {
            for chain in 0..<chains { checkpoint.chainDone(chain: chain) }
        }
    }

    @Test("a checkpoint whose write fails is counted and the next one still completes")
    func failedWriteFailsOnlyThatCheckpoint() {
        let storage = FlakyStorage(failing: [1])
        let coordinator = CheckpointCoordinator(storage: storage, intervalNanos: 3_600_000_000_000, firstID: 1)
        coordinator.start(chains: 2)
        complete(coordinator, chains: 2)
        // The writer thread works through aligned checkpoints in order; `stop` waits for it.
        coordinator.stop()
        #expect(coordinator.failed.value == 1)
        #expect(coordinator.completed.value == 0)

        let next = CheckpointCoordinator(storage: storage, intervalNanos: 3_600_000_000_000, firstID: 2)
        next.start(chains: 2)
        complete(next, chains: 2)
        next.stop()
        #expect(next.completed.value == 1)
        #expect(storage.written.withLock { $0 } == [2])
    }

    @Test("a checkpoint waits for every chain, and a chain that ends no longer holds it back")
    func waitsForChains() {
        let storage = FlakyStorage(failing: [])
        let coordinator = CheckpointCoordinator(storage: storage, intervalNanos: 3_600_000_000_000, firstID: 1)
        coordinator.start(chains: 3)
        coordinator.trigger()
        let checkpoint = coordinator.injector.pending(after: 0).last!
        checkpoint.chainDone(chain: 0)
        checkpoint.chainDone(chain: 1)
        #expect(storage.written.withLock { $0 }.isEmpty)
        coordinator.chainFinished(2)
        coordinator.stop()
        #expect(storage.written.withLock { $0 } == [1])
    }

    @Test("records a stopped source's position, not an empty one")
    func finishedSourcesRecordNothingLeft() {
        let coordinator = CheckpointCoordinator(storage: FlakyStorage(failing: []), intervalNanos: 1, firstID: 5)
        let checkpoint = PendingCheckpoint(id: 5, waitingFor: [0], coordinator: coordinator)
        checkpoint.addSourcePosition(source: "a", instance: 1, segments: [FileSegment(path: "f", start: 10, end: 20, startsAtLine: true)])
        let contents = checkpoint.contents(finishedSources: ["a": [0], "b": [0]], finishedSinks: [:])
        #expect(contents.sourceSegments["a"] == [FileSegment(path: "f", start: 10, end: 20, startsAtLine: true)])
        #expect(contents.sourceSegments["b"] == [])
        withExtendedLifetime(coordinator) {}
    }

    @Test("a generated source's instance that finished before a checkpoint is recorded as finished, so the source keeps its parallelism")
    func finishedGeneratedInstanceKeepsParallelism() {
        let storage = RecordingStorage()
        let coordinator = CheckpointCoordinator(storage: storage, intervalNanos: 3_600_000_000_000, firstID: 1)
        coordinator.start(chains: 2)
        // Instance 1, the last, runs out of numbers first: it injects no barrier, so gives no offset.
        coordinator.sourceFinished(source: "source numbers#1", instance: 1)
        coordinator.chainFinished(1)
        coordinator.trigger()
        let checkpoint = coordinator.injector.pending(after: 0).last!
        checkpoint.addSourceOffset(source: "source numbers#1", instance: 0, next: 40)
        checkpoint.chainDone(chain: 0)
        coordinator.stop()
        let offsets = storage.contents.withLock { $0.last?.sourceOffsets["source numbers#1"] }
        #expect(offsets == [0: 40, 1: .max])
    }
}

/// Storage that keeps what it is asked to write.
final class RecordingStorage: CheckpointStorage, @unchecked Sendable {
    let contents = Mutex<[CheckpointContents]>([])
    func write(_ contents: CheckpointContents) throws { self.contents.withLock { $0.append(contents) } }
}
