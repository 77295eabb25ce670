#if canImport(Glibc)
import Glibc
#endif
import SluiceCore
import SluiceRuntime
import SluiceState
import SluiceConnectors

/// Checkpoints on disk (design.md §5): one zstd snapshot file per stateful operator instance
/// and a manifest written last, in `DIR/chk-<n>/`; the last few complete ones are kept.
struct CheckpointFiles: CheckpointStorage {
    let store: CheckpointStore
    let shape: [String]
    let maxParallelism: Int
    let level: Int32
    let retained: Int
    let firstID: Int64

    init(directory: String, options: RunOptions, shape: [String]) throws {
        store = CheckpointStore(directory: directory)
        self.shape = shape
        maxParallelism = options.maxParallelism
        level = options.snapshotCompressionLevel
        retained = options.retainedCheckpoints
        firstID = try store.nextCheckpointID()
    }

    func write(_ contents: CheckpointContents) throws {
        let directory = try store.makeCheckpointDirectory(id: contents.id)
        let zstd = Zstd()
        var files: [CheckpointManifest.File] = []
        for state in contents.states {
            let (bytes, records) = try state.snapshot.serialize()
            let file = SnapshotFile(operatorID: state.operatorID, keyGroups: state.keyGroups, recordCount: records, content: bytes)
            files.append(try store.writeSnapshot(file, in: directory, level: level, zstd: zstd))
        }
        var offsets: [String: [Int64]] = [:]
        for (source, perInstance) in contents.sourceOffsets {
            let instances = (perInstance.keys.max() ?? -1) + 1
            offsets[source] = (0..<instances).map { perInstance[$0] ?? .max }
        }
        var sinks: [String: [CheckpointManifest.SinkState]] = [:]
        for (sink, perInstance) in contents.sinks {
            let instances = (perInstance.keys.max() ?? -1) + 1
            sinks[sink] = (0..<instances).map { instance in
                let state = perInstance[instance]
                return CheckpointManifest.SinkState(path: state?.path ?? "", committedBytes: state?.bytes ?? 0)
            }
        }
        let manifest = CheckpointManifest(id: contents.id, createdAt: ProcessingClock.system.now(), operators: shape,
                                          maxParallelism: maxParallelism, files: files, sources: contents.sourceSegments,
                                          sourceOffsets: offsets, sinks: sinks)
        try store.commit(manifest, in: directory)
        try store.retain(last: retained)
    }

    /// The checkpoint a run resumes from, checked against this pipeline, or nil without `--resume`.
    static func restorePlan(_ options: RunOptions, shape: [String]) throws -> RestorePlan? {
        guard let resume = options.resume else { return nil }
        let checkpoint: RestorableCheckpoint
        switch resume {
        case .latest:
            guard let directory = options.checkpointDirectory else {
                throw UsageError("--resume latest needs --checkpoint-dir")
            }
            let selection = try CheckpointStore(directory: directory).latestRestorable()
            for skipped in selection.skipped { Diagnostics.warning("\(skipped); falling back to an older checkpoint") }
            guard let found = selection.checkpoint else {
                throw PipelineError("no valid checkpoint to resume from in \(directory)"
                    + (selection.skipped.isEmpty ? "" : " (\(selection.skipped.map(\.description).joined(separator: "; ")))"))
            }
            checkpoint = found
        case .path(let path):
            checkpoint = try CheckpointStore.load(path: path)
        }
        let manifest = checkpoint.manifest
        try manifest.checkShape(operators: shape, maxParallelism: options.maxParallelism)
        Diagnostics.info("resuming from checkpoint \(manifest.id) (\(checkpoint.directory))")
        var states: [String: [(keyGroups: Range<Int>, load: () throws -> [UInt8])]] = [:]
        for file in manifest.files {
            let path = checkpoint.directory + "/" + file.path
            states[file.operatorID, default: []].append((file.keyGroups, { try SnapshotFile.read(path: path).content }))
        }
        var sinks: [String: [Int: (path: String, committedBytes: Int64)]] = [:]
        for (sink, perInstance) in manifest.sinks {
            for (instance, state) in perInstance.enumerated() where !state.path.isEmpty {
                sinks[sink, default: [:]][instance] = (state.path, state.committedBytes)
            }
        }
        var offsets: [String: [Int: Int64]] = [:]
        for (source, perInstance) in manifest.sourceOffsets {
            offsets[source] = Dictionary(uniqueKeysWithValues: perInstance.enumerated().map { ($0.offset, $0.element) })
        }
        return RestorePlan(checkpointID: manifest.id, sourceSegments: manifest.sources, generatedOffsets: offsets,
                           operatorStates: states, sinkStates: sinks)
    }
}
