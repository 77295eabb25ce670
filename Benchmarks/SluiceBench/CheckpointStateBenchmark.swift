import BenchSupport
import Foundation
import Sluice
import SluiceState

/// The per-key state of `checkpoint-state`: a `Codable` struct as a pipeline author would write
/// one (counts, prices, a timestamp, a short label, an optional note), so it takes the generic
/// `BinaryEncoder` path that operators' state takes, not a hand-written `SnapshotCodable`.
/// About 54 serialised bytes per entry with its `Int64` key.
struct CheckpointBenchValue: Codable, Sendable {
    var count: Int64
    var total: Int64
    var maxPrice: Int64
    var lastSeen: Int64
    var channel: String
    var note: String?
}

/// Checkpoints one keyed operator instance's state of about 10 MB, 100 MB and 1 GB (serialised
/// size) the way `CheckpointFiles.write` does, step by step, then restores it the way a resume
/// does, timing every step:
///
/// - `snapshotCopyNanos`: the copy-on-write copy the operator hands to the checkpoint
///   (`KeyedProcessOperator.snapshot()`), on the processing thread.
/// - `firstUpdateAfterSnapshotSeconds`: the next `update` of the live table while the snapshot
///   holds the old storage: it copies the shard it touches (the whole table, before the table was
///   sharded), on the processing thread (in a pipeline this runs while the checkpoint thread
///   serialises; here it runs before, alone).
/// - `longestUpdateAfterSnapshotSeconds` and `updatesAfterSnapshotSeconds`: the longest single
///   update and the total of the first and `updatesAfterSnapshot - 1` more on random keys, all
///   while the snapshot lives: the worst pause a record sees, and the copy work spread over them
///   (every shard is touched, so the total is about one copy of the table). The same in the
///   thread's CPU time: `longestUpdateAfterSnapshotCPUSeconds`, `updatesAfterSnapshotCPUSeconds`.
/// - `serializeSeconds` (`KeyedStateTable.serialized()`), `compressWriteSeconds`
///   (`CheckpointStore.writeSnapshot`: zstd, checksums, write, fsync), `commitSeconds` (manifest
///   written, fsynced, renamed; retention) and `checkpointSeconds`, their sum with the copy: the
///   checkpoint thread's work. `compressSeconds` is zstd and the checksums alone (timed apart).
/// - `restoreSeconds`: `latestRestorable()` (every file's size and XXH64), then
///   `readSnapshots` (read, verify, decompress) and `restore(from:keeping:map:)` into a new
///   table, split as `restoreVerifySeconds`, `restoreReadDecompressSeconds`,
///   `restoreDecodeSeconds`. The files are read back warm, from the page cache.
///
/// zstd level 1 (the default); for 10 MB and 100 MB also level 3, compressed and read back.
/// Everything goes under a temporary directory that is deleted at the end.
enum CheckpointStateBenchmark {
    static let operatorID = "bench-state"
    static let keyGroups = 0..<KeyGroups.defaultMaxParallelism
    static let targets = [10_000_000, 100_000_000, 1_000_000_000]
    static let channels = ["Google", "Facebook", "Baidu", "Apple", "channel-0417", "channel-2093", "channel-7781", "channel-9950"]

    static func run(runs requestedRuns: Int) throws -> [BenchResult] {
        let runs = max(3, requestedRuns)
        let root = try makeBenchDirectory("sluice-bench-checkpoint-state")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bytesPerEntry = try calibrate()
        for target in targets {
            let entries = Int((Double(target) / bytesPerEntry).rounded())
            if let reason = skipReason(entries: entries, target: target) {
                var line = JSONLine()
                line.add("benchmark", "checkpoint-state")
                line.add("targetBytes", target)
                line.add("entries", entries)
                line.add("skipped", reason)
                line.emit()
                continue
            }
            try measure(target: target, entries: entries, runs: runs, root: root).emit()
        }
        return []
    }

    /// Serialised bytes per entry, from a table of 100 000.
    static func calibrate() throws -> Double {
        let sample = makeTable(entries: 100_000)
        return Double(try sample.serialized().bytes.count) / 100_000
    }

    /// Why the case cannot run on this machine, or nil. The peak is the live table, its copy made
    /// by the first update after the snapshot, the serialised bytes with the writer's doubling
    /// slack, and the compressed frame.
    static func skipReason(entries: Int, target: Int) -> String? {
        let tableBytes = tableMemory(entries: entries)
        let peak = 2 * tableBytes + 2 * target + target / 2
        guard let available = availableMemoryBytes() else { return nil }
        if Double(peak) * 1.25 > Double(available) {
            return "needs about \(peak / 1_000_000) MB (two copies of a \(tableBytes / 1_000_000) MB table and the serialised bytes), only \(available / 1_000_000) MB available"
        }
        return nil
    }

    /// Bytes of a `KeyedStateTable<Int64, CheckpointBenchValue>` holding `entries` keys.
    static func tableMemory(entries: Int) -> Int {
        var slots = 16
        while slots * 3 < entries * 4 { slots *= 2 }
        return slots * (MemoryLayout<UInt64>.stride + MemoryLayout<Int64>.stride + MemoryLayout<CheckpointBenchValue>.stride)
    }

    /// `entries` keys 1000, 1001, … with deterministic pseudo-random values (all strings short
    /// enough to be stored inline, as most labels are).
    static func makeTable(entries: Int) -> KeyedStateTable<Int64, CheckpointBenchValue> {
        var table = KeyedStateTable<Int64, CheckpointBenchValue>(minimumCapacity: entries)
        var seed: UInt64 = 0x5EED_C0FF_EE00_0001
        for i in 0..<entries {
            let value = makeValue(i, &seed)
            table.update(Int64(1000 + i), default: { value }) { _ in }
        }
        return table
    }

    static func makeValue(_ i: Int, _ seed: inout UInt64) -> CheckpointBenchValue {
        let r = splitMix(&seed)
        let count = Int64(1 + r % 500)
        let maxPrice = Int64(100 + (r >> 9) % 10_000_000)
        return CheckpointBenchValue(
            count: count, total: count * maxPrice / 3, maxPrice: maxPrice,
            lastSeen: 1_735_689_600_000 + Int64(i) * 7 + Int64((r >> 40) % 5000),
            channel: channels[Int((r >> 33) & 7)],
            note: (r >> 62) == 0 ? "note-\((r >> 20) % 100_000)" : nil)
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One size: `runs` checkpoints and restores of the same table, medians of each step.
    static func measure(target: Int, entries: Int, runs: Int, root: String) throws -> JSONLine {
        let buildStart = monotonicNow()
        var table = makeTable(entries: entries)
        let buildSeconds = elapsedSeconds(buildStart, monotonicNow())
        let zstd = Zstd()
        let withLevel3 = target <= 100_000_000
        var copyNanos: [Double] = [], stall: [Double] = [], serialize: [Double] = [], compress: [Double] = []
        var longestPause: [Double] = [], spreadUpdates: [Double] = [], longestPauseCPU: [Double] = [], spreadUpdatesCPU: [Double] = []
        var compressWrite: [Double] = [], commit: [Double] = [], total: [Double] = []
        var verify: [Double] = [], readDecompress: [Double] = [], decode: [Double] = [], restore: [Double] = []
        var compress3: [Double] = [], compressWrite3: [Double] = [], readDecompress3: [Double] = []
        var serializedBytes = 0, fileBytes = 0, fileBytes3 = 0

        for run in 0..<runs {
            let store = CheckpointStore(directory: root + "/run-\(run)")
            // A scope of its own, so that the snapshot (the old table) and its bytes are freed
            // before the restore builds a new table.
            do {
                // The processing thread: the operator's snapshot, then its next update.
                let t0 = monotonicNow()
                let snapshot = snapshotOf(table)
                let t1 = monotonicNow()
                let c1 = threadCPUNow()
                table.update(1000, default: { fatalError("key 1000 is in the table") }) { $0.count += 1 }
                let t2 = monotonicNow()
                let c2 = threadCPUNow()
                let pauses = updateRandomKeys(of: &table, entries: entries, first: (t2 - t1, c2 - c1))

                // The checkpoint thread: serialise, compress and write, commit.
                let id = try store.nextCheckpointID()
                let t3 = monotonicNow()
                let directory = try store.makeCheckpointDirectory(id: id)
                let t3b = monotonicNow()
                let (bytes, records) = try snapshot.serialize()
                let t4 = monotonicNow()
                let file = SnapshotFile(operatorID: operatorID, keyGroups: keyGroups, recordCount: records, content: bytes)
                let entry = try store.writeSnapshot(file, in: directory, level: 1, zstd: zstd)
                let t5 = monotonicNow()
                let manifest = CheckpointManifest(id: id, createdAt: Int64(Date().timeIntervalSince1970 * 1000),
                                                  operators: [operatorID], maxParallelism: keyGroups.upperBound, files: [entry])
                try store.commit(manifest, in: directory)
                try store.retain(last: 3)
                let t6 = monotonicNow()

                copyNanos.append(Double(t1 - t0))
                stall.append(elapsedSeconds(t1, t2))
                longestPause.append(pauses.longest)
                spreadUpdates.append(pauses.total)
                longestPauseCPU.append(pauses.longestCPU)
                spreadUpdatesCPU.append(pauses.totalCPU)
                serialize.append(elapsedSeconds(t3b, t4))
                compressWrite.append(elapsedSeconds(t4, t5))
                commit.append(elapsedSeconds(t5, t6))
                total.append(Double(t1 - t0) / 1e9 + elapsedSeconds(t3, t6))
                serializedBytes = bytes.count
                fileBytes = Int(entry.compressedBytes)

                // zstd and checksums alone, and level 3 beside level 1.
                compress.append(try timed { _ = try file.encodedParts(level: 1, zstd: zstd) })
                if withLevel3 {
                    compress3.append(try timed { _ = try file.encodedParts(level: 3, zstd: zstd) })
                    let path3 = root + "/level3-\(run).snap"
                    var info3: SnapshotFileInfo?
                    compressWrite3.append(try timed { info3 = try file.write(path: path3, level: 3, zstd: zstd) })
                    fileBytes3 = Int(info3!.fileBytes)
                    readDecompress3.append(try timed { _ = try SnapshotFile.read(path: path3, zstd: zstd) })
                    try FileManager.default.removeItem(atPath: path3)
                }
            }

            // A resume: verify the checkpoint, read and decompress, decode into a new table.
            let r0 = monotonicNow()
            guard let checkpoint = try store.latestRestorable().checkpoint else {
                throw NSError(domain: "bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "the checkpoint just written does not verify"])
            }
            let r1 = monotonicNow()
            let files = try CheckpointStore.readSnapshots(of: operatorID, overlapping: keyGroups, in: checkpoint, zstd: zstd)
            let r2 = monotonicNow()
            var restored = KeyedStateTable<Int64, CheckpointBenchValue>()
            for saved in files { try restored.restore(from: saved.content, keeping: keyGroups, map: KeyGroups()) }
            let r3 = monotonicNow()
            precondition(restored.count == entries && restored[1000] != nil, "restore lost entries")
            verify.append(elapsedSeconds(r0, r1))
            readDecompress.append(elapsedSeconds(r1, r2))
            decode.append(elapsedSeconds(r2, r3))
            restore.append(elapsedSeconds(r0, r3))
            try FileManager.default.removeItem(atPath: store.directory)
        }

        var line = JSONLine()
        line.add("benchmark", "checkpoint-state")
        line.add("targetBytes", target)
        line.add("entries", entries)
        line.add("runs", runs)
        line.add("level", 1)
        line.add("serializedBytes", serializedBytes)
        line.add("compressedBytes", fileBytes)
        line.add("compressionRatio", Double(serializedBytes) / Double(fileBytes), digits: 3)
        line.add("tableMemoryBytes", tableMemory(entries: entries))
        line.add("snapshotCopyNanos", Int(median(copyNanos)))
        line.add("firstUpdateAfterSnapshotSeconds", median(stall), digits: 6)
        line.add("updatesAfterSnapshot", updatesAfterSnapshot)
        line.add("longestUpdateAfterSnapshotSeconds", median(longestPause), digits: 6)
        line.add("updatesAfterSnapshotSeconds", median(spreadUpdates))
        line.add("longestUpdateAfterSnapshotCPUSeconds", median(longestPauseCPU), digits: 6)
        line.add("updatesAfterSnapshotCPUSeconds", median(spreadUpdatesCPU))
        line.add("serializeSeconds", median(serialize))
        line.add("compressSeconds", median(compress))
        line.add("compressWriteSeconds", median(compressWrite))
        line.add("commitSeconds", median(commit))
        line.add("checkpointSeconds", median(total))
        line.add("checkpointSecondsPerRun", total)
        line.add("serializeMBPerSecond", Double(serializedBytes) / median(serialize) / 1e6, digits: 1)
        line.add("compressMBPerSecond", Double(serializedBytes) / median(compress) / 1e6, digits: 1)
        line.add("restoreSeconds", median(restore))
        line.add("restoreSecondsPerRun", restore)
        line.add("restoreVerifySeconds", median(verify))
        line.add("restoreReadDecompressSeconds", median(readDecompress))
        line.add("restoreDecodeSeconds", median(decode))
        if withLevel3 {
            line.add("level3CompressedBytes", fileBytes3)
            line.add("level3CompressionRatio", Double(serializedBytes) / Double(fileBytes3), digits: 3)
            line.add("level3CompressSeconds", median(compress3))
            line.add("level3CompressWriteSeconds", median(compressWrite3))
            line.add("level3ReadDecompressSeconds", median(readDecompress3))
        }
        line.add("buildTableSeconds", buildSeconds)
        return line
    }

    /// Updates after the first one that follows a snapshot, on random keys.
    static let updatesAfterSnapshot = 4096

    /// Times `updatesAfterSnapshot - 1` updates of random existing keys one by one, after the
    /// first update's `first` (nanoseconds of wall and thread CPU time). The CPU times leave out
    /// time the thread waited for a core, which on a shared machine can make a single wall-clock
    /// pause look many times longer than its work.
    static func updateRandomKeys(of table: inout KeyedStateTable<Int64, CheckpointBenchValue>, entries: Int,
                                 first: (wall: UInt64, cpu: UInt64)) -> UpdatePauses {
        var seed: UInt64 = 0xA5A5_0000_0000_0001
        var longest = first.wall, total = first.wall, longestCPU = first.cpu, totalCPU = first.cpu
        for _ in 1..<updatesAfterSnapshot {
            let key = Int64(1000 + Int(splitMix(&seed) % UInt64(entries)))
            let start = monotonicNow()
            let startCPU = threadCPUNow()
            table.update(key, default: { fatalError("key \(key) is in the table") }) { $0.count += 1 }
            let pause = monotonicNow() - start
            let pauseCPU = threadCPUNow() - startCPU
            longest = max(longest, pause)
            total += pause
            longestCPU = max(longestCPU, pauseCPU)
            totalCPU += pauseCPU
        }
        return UpdatePauses(longest: Double(longest) / 1e9, total: Double(total) / 1e9,
                            longestCPU: Double(longestCPU) / 1e9, totalCPU: Double(totalCPU) / 1e9)
    }

    /// Seconds: the longest single update after a snapshot and the sum over all, in wall and
    /// thread CPU time.
    struct UpdatePauses {
        var longest: Double
        var total: Double
        var longestCPU: Double
        var totalCPU: Double
    }

    /// What `KeyedProcessOperator.snapshot()` does: capture a copy-on-write copy of the table.
    @inline(never)
    static func snapshotOf(_ table: KeyedStateTable<Int64, CheckpointBenchValue>) -> StateSnapshot {
        let copy = table
        return StateSnapshot { try copy.serialized() }
    }
}
