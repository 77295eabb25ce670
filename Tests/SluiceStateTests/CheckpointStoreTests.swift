import Testing
import SluiceCore
import SluiceState

@Suite struct CheckpointStoreTests {
    /// Writes checkpoint `id` with two snapshot files of operator "count" and one of "join".
    @discardableResult
    static func writeCheckpoint(_ store: CheckpointStore, id: Int64, commit: Bool = true) throws -> String {
        let directory = try store.makeCheckpointDirectory(id: id)
        var files: [CheckpointManifest.File] = []
        for (operatorID, range) in [("count", 0..<64), ("count", 64..<128), ("join", 0..<128)] {
            var writer = SnapshotWriter()
            writer.encode(Array(repeating: id, count: 100))
            let file = SnapshotFile(operatorID: operatorID, keyGroups: range, recordCount: 100, content: writer.take())
            files.append(try store.writeSnapshot(file, in: directory))
        }
        let manifest = CheckpointManifest(
            id: id, createdAt: 1_764_415_203_123 + id, operators: ["bids", "count", "join", "out"], maxParallelism: 128, files: files,
            sources: ["bids": [FileSegment(path: "/data/bids.jsonl", start: 4096 * id, end: 1_000_000, startsAtLine: true)]],
            sourceOffsets: ["gen": [10, 20]],
            sinks: ["out": [.init(path: "/out/part-0", committedBytes: 100 * id), .init(path: "/out/part-1", committedBytes: 7)]],
            extra: ["watermark": "12345"])
        if commit { try store.commit(manifest, in: directory) }
        return directory
    }

    @Test func commitWritesAParseableManifestAtomically() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path + "/state")
        let checkpoint = try Self.writeCheckpoint(store, id: 1)
        #expect(try directory.names("state/chk-1").contains("_manifest.json"))
        #expect(try !directory.names("state/chk-1").contains { $0.hasPrefix("_manifest.json.tmp") })
        let loaded = try CheckpointStore.load(path: checkpoint)
        #expect(loaded.manifest.id == 1)
        #expect(loaded.manifest.files.count == 3)
        #expect(loaded.manifest.sources["bids"]?.first?.start == 4096)
        #expect(loaded.manifest.sinks["out"]?.count == 2)
        #expect(loaded.manifest.extra["watermark"] == "12345")
        #expect(try CheckpointStore.load(path: checkpoint + "/_manifest.json") == loaded)

        // JSON round trip, and the checksum is written as hexadecimal text.
        let json = try loaded.manifest.jsonBytes()
        #expect(try CheckpointManifest.parse(json) == loaded.manifest)
        #expect(String(decoding: json, as: UTF8.self).contains("\"xxh64\" : \""))
    }

    /// A crash before the rename leaves only a temporary file: the checkpoint is incomplete.
    @Test func aLeftoverTemporaryFileIsNotAManifest() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        try Self.writeCheckpoint(store, id: 1)
        let second = try Self.writeCheckpoint(store, id: 2, commit: false)
        try directory.write("chk-2/_manifest.json.tmp-1234", Array("{\"id\": 2".utf8))
        let selection = try store.latestRestorable()
        #expect(selection.checkpoint?.manifest.id == 1)
        #expect(selection.skipped.map(\.description) == ["chk-2 skipped: incomplete (no _manifest.json)"])
        #expect(try store.list().map(\.status) == [.complete, .incomplete])
        #expect(throws: SnapshotError.self) { try CheckpointStore.load(path: second) }
    }

    @Test func latestRestorableFallsBackPastCorruptAndMissingFiles() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        for id in Int64(1)...4 { try Self.writeCheckpoint(store, id: id) }
        // chk-4: a flipped byte in a snapshot file; chk-3: a file deleted; chk-2: a truncated file.
        var bytes = try directory.bytes("chk-4/count-kg64-128.snap")
        bytes[bytes.count / 2] ^= 1
        try directory.write("chk-4/count-kg64-128.snap", bytes)
        try FileManagerShim.remove(directory.path + "/chk-3/join-kg0-128.snap")
        let truncated = try directory.bytes("chk-2/count-kg0-64.snap")
        try directory.write("chk-2/count-kg0-64.snap", Array(truncated.dropLast(5)))

        let selection = try store.latestRestorable()
        #expect(selection.checkpoint?.manifest.id == 1)
        #expect(selection.checkpoint?.directory == directory.path + "/chk-1")
        let reasons = selection.skipped.map(\.description)
        #expect(reasons.count == 3)
        #expect(reasons[0].hasPrefix("chk-4 skipped: count-kg64-128.snap checksum mismatch"))
        #expect(reasons[1] == "chk-3 skipped: join-kg0-128.snap is missing")
        #expect(reasons[2].hasPrefix("chk-2 skipped: count-kg0-64.snap is"))
        #expect(reasons[2].contains("bytes, the manifest says"))

        let explicit = try #require(throws: SnapshotError.self) { try CheckpointStore.load(path: directory.path + "/chk-4") }
        #expect(explicit.message.contains("checksum mismatch"))
        #expect(explicit.message.hasPrefix(directory.path + "/chk-4: "))
    }

    @Test func aCorruptManifestIsSkippedWithItsReason() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        try Self.writeCheckpoint(store, id: 1)
        try Self.writeCheckpoint(store, id: 2)
        try directory.write("chk-2/_manifest.json", Array("{\"id\": 2, ".utf8))
        let selection = try store.latestRestorable()
        #expect(selection.checkpoint?.manifest.id == 1)
        #expect(selection.skipped.first?.reason.contains("not a valid checkpoint manifest") == true)
        if case .unreadable = try store.list().last?.status {} else { Issue.record("chk-2 should be unreadable") }
    }

    @Test func noCheckpointsIsNoSelection() throws {
        let directory = try TestDirectory()
        let selection = try CheckpointStore(directory: directory.path + "/absent").latestRestorable()
        #expect(selection.checkpoint == nil)
        #expect(selection.skipped.isEmpty)
        #expect(try CheckpointStore(directory: directory.path + "/absent").nextCheckpointID() == 1)
    }

    @Test func idsOrderNumericallyAndOthersAreIgnored() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        for id: Int64 in [9, 10, 2] { try Self.writeCheckpoint(store, id: id) }
        try directory.write("chk-x", [1])
        try directory.write("notes.txt", [1])
        #expect(try store.list().map(\.id) == [2, 9, 10])
        #expect(try store.latestRestorable().checkpoint?.manifest.id == 10)
        #expect(try store.nextCheckpointID() == 11)
        #expect(CheckpointStore.checkpointID(directoryName: "chk-007") == 7)
        #expect(CheckpointStore.checkpointID(directoryName: "chk-") == nil)
        #expect(CheckpointStore.checkpointID(directoryName: "chk-1a") == nil)
    }

    @Test func makeCheckpointDirectoryReplacesIncompleteButNotComplete() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        try Self.writeCheckpoint(store, id: 1)
        try Self.writeCheckpoint(store, id: 2, commit: false)
        try directory.write("chk-2/stale.snap", [1, 2, 3])
        _ = try store.makeCheckpointDirectory(id: 2)
        #expect(try directory.names("chk-2").isEmpty)
        let error = try #require(throws: SnapshotError.self) { try store.makeCheckpointDirectory(id: 1) }
        #expect(error.message.contains("already holds a complete checkpoint"))
    }

    @Test func retainKeepsTheNewestCompleteAndDropsOlderIncomplete() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        for id: Int64 in [1, 2, 4, 5] { try Self.writeCheckpoint(store, id: id) }
        try Self.writeCheckpoint(store, id: 3, commit: false)   // abandoned by a crash
        try Self.writeCheckpoint(store, id: 6, commit: false)   // in progress
        #expect(try store.retain(last: 2) == ["chk-1", "chk-2", "chk-3"])
        #expect(try directory.names() == ["chk-4", "chk-5", "chk-6"])
        #expect(try store.retain(last: 2).isEmpty)
        #expect(try store.latestRestorable().checkpoint?.manifest.id == 5)
    }

    @Test func shapeChecksAndFileSelection() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        let checkpoint = try CheckpointStore.load(path: Self.writeCheckpoint(store, id: 1))
        let manifest = checkpoint.manifest
        try manifest.checkShape(operators: ["out", "join", "count", "bids"], maxParallelism: 128)
        let error = try #require(throws: SnapshotError.self) {
            try manifest.checkShape(operators: ["bids", "count", "sessions", "out"], maxParallelism: 64)
        }
        #expect(error.message == "checkpoint 1 was written by a different pipeline: it has no state for sessions; it has join, which this pipeline lacks; its maxParallelism is 128, this pipeline's 64")
        #expect(manifest.files(of: "count", overlapping: 60..<70).map(\.keyGroups) == [0..<64, 64..<128])
        #expect(manifest.files(of: "count", overlapping: 0..<64).map(\.keyGroups) == [0..<64])
        let snapshots = try CheckpointStore.readSnapshots(of: "count", overlapping: 100..<128, in: checkpoint)
        #expect(snapshots.map(\.keyGroups) == [64..<128])
        var reader = snapshots[0].reader
        #expect(try reader.decode([Int64].self) == Array(repeating: 1, count: 100))
    }

    @Test func inspectionDescribesEveryCheckpoint() throws {
        let directory = try TestDirectory()
        let store = CheckpointStore(directory: directory.path)
        try Self.writeCheckpoint(store, id: 1)
        try Self.writeCheckpoint(store, id: 2)
        try Self.writeCheckpoint(store, id: 3, commit: false)
        try FileManagerShim.remove(directory.path + "/chk-2/join-kg0-128.snap")
        let text = try CheckpointStore.inspectionText(path: directory.path)
        #expect(text.contains("3 checkpoints (2 complete)"))
        #expect(text.contains("chk-3  incomplete (no _manifest.json)"))
        #expect(text.contains("chk-2  CORRUPT: join-kg0-128.snap is missing"))
        #expect(text.contains("chk-1  complete, verified"))
        #expect(text.contains("created        2025-11-29 11:20:03.124 UTC"))
        #expect(text.contains("pipeline       bids, count, join, out"))
        #expect(text.contains("operator count: 2 files, 200 records"))
        #expect(text.contains("key groups [64, 128)"))
        #expect(text.contains("count-kg64-128.snap"))
        #expect(text.contains("/data/bids.jsonl  [4096, 1000000)"))
        #expect(text.contains("instance 1  /out/part-1  committed 7 bytes"))
        #expect(text.contains("source gen: next record per instance [10, 20]"))
        #expect(text.contains("watermark: 12345"))
        let single = try CheckpointStore.inspectionText(path: directory.path + "/chk-1")
        #expect(single.hasPrefix("chk-1  complete, verified\n"))
        #expect(text.firstRange(of: "chk-3")!.lowerBound < text.firstRange(of: "chk-1 ")!.lowerBound)
    }
}

import Foundation

enum FileManagerShim {
    static func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: path) }
}
