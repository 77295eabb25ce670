/// The checkpoints of a pipeline, in directory `directory`: one subdirectory `chk-<id>` per
/// checkpoint, complete once it holds `_manifest.json`.
///
/// ```swift
/// let store = CheckpointStore(directory: "state")
/// let id = try store.nextCheckpointID()
/// let dir = try store.makeCheckpointDirectory(id: id)
/// let entry = try store.writeSnapshot(file, in: dir)              // one per operator instance
/// try store.commit(CheckpointManifest(id: id, createdAt: now, operators: ids,
///                                     maxParallelism: 128, files: [entry]), in: dir)
/// try store.retain(last: 3)
///
/// let selection = try store.latestRestorable()                   // on resume
/// for skipped in selection.skipped { print(skipped) }            // "chk-8 skipped: …"
/// if let checkpoint = selection.checkpoint { ... checkpoint.manifest ... }
/// ```
public struct CheckpointStore: Sendable {
    public let directory: String

    public static let manifestName = "_manifest.json"
    static let directoryPrefix = "chk-"
    static let temporaryManifestPrefix = "_manifest.json.tmp-"

    public init(directory: String) {
        self.directory = directory
    }

    // MARK: Names

    /// `chk-<id>`.
    public static func directoryName(id: Int64) -> String { directoryPrefix + String(id) }

    /// The id in a name of the form `chk-<digits>`, else nil.
    public static func checkpointID(directoryName name: String) -> Int64? {
        guard name.hasPrefix(directoryPrefix) else { return nil }
        let digits = name.dropFirst(directoryPrefix.count)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int64(digits)
    }

    /// The path of checkpoint `id`'s directory.
    public func path(of id: Int64) -> String { directory + "/" + Self.directoryName(id: id) }

    /// A file name for the state of `operatorID`'s key groups `keyGroups`:
    /// `<operator>-kg<start>-<end>.snap`, with characters other than letters, digits, `.`, `_` and
    /// `-` in the operator id replaced by `_`.
    public static func snapshotFileName(operatorID: String, keyGroups: Range<Int>) -> String {
        let safe = String(decoding: operatorID.utf8.map { byte -> UInt8 in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                return byte
            default:
                return UInt8(ascii: "_")
            }
        }, as: UTF8.self)
        return "\(safe)-kg\(keyGroups.lowerBound)-\(keyGroups.upperBound).snap"
    }

    // MARK: Writing

    /// One more than the largest checkpoint id in the directory (complete or not), or 1.
    public func nextCheckpointID() throws -> Int64 {
        (try entries().map(\.id).max() ?? 0) + 1
    }

    /// Creates the directory of checkpoint `id` (and the store's directory if needed) and returns
    /// its path. An incomplete directory of the same id left by an earlier run is emptied; a
    /// complete one is never overwritten (an error).
    public func makeCheckpointDirectory(id: Int64) throws -> String {
        precondition(id >= 0, "checkpoint ids are not negative")
        try FileIO.makeDirectories(directory)
        let path = self.path(of: id)
        if FileIO.exists(path) {
            if FileIO.exists(path + "/" + Self.manifestName) {
                throw SnapshotError(.manifest, "\(path) already holds a complete checkpoint")
            }
            try FileIO.removeTree(path)
        }
        try FileIO.makeDirectories(path)
        return path
    }

    /// Writes `file` into checkpoint directory `checkpointDirectory` under
    /// `snapshotFileName(operatorID:keyGroups:)`, fsynced, and returns its manifest entry.
    public func writeSnapshot(_ file: SnapshotFile, in checkpointDirectory: String,
                              level: Int32 = Zstd.defaultLevel, zstd: Zstd = Zstd()) throws -> CheckpointManifest.File {
        let name = Self.snapshotFileName(operatorID: file.operatorID, keyGroups: file.keyGroups)
        let info = try file.write(path: checkpointDirectory + "/" + name, level: level, zstd: zstd)
        return CheckpointManifest.File(path: name, file: file, info: info)
    }

    /// Makes the checkpoint in `checkpointDirectory` complete: writes the manifest to a temporary
    /// file there, fsyncs it, renames it to `_manifest.json` and fsyncs the directory (and the
    /// store's directory). A crash at any point leaves either no manifest or the whole one.
    public func commit(_ manifest: CheckpointManifest, in checkpointDirectory: String) throws {
        let bytes = try manifest.jsonBytes()
        let temporary = checkpointDirectory + "/" + Self.temporaryManifestPrefix + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        do {
            try FileIO.writeFile(temporary, parts: [bytes], sync: true)
            try FileIO.move(temporary, to: checkpointDirectory + "/" + Self.manifestName)
        } catch {
            try? FileIO.removeFile(temporary)
            throw error
        }
        try FileIO.syncDirectory(checkpointDirectory)
        try FileIO.syncDirectory(FileIO.parentDirectory(checkpointDirectory))
    }

    // MARK: Reading

    /// The newest checkpoint whose manifest parses and whose every file has the recorded size
    /// and XXH64, and the newer ones passed over with the reason for each. No checkpoint (and
    /// no directory) gives `checkpoint == nil`.
    public func latestRestorable() throws -> CheckpointSelection {
        var skipped: [SkippedCheckpoint] = []
        for entry in try entries().sorted(by: { $0.id > $1.id }) {
            guard entry.isComplete else {
                skipped.append(SkippedCheckpoint(id: entry.id, directory: entry.path, reason: "incomplete (no \(Self.manifestName))"))
                continue
            }
            do {
                let manifest = try Self.verify(checkpointDirectory: entry.path, expectedID: entry.id)
                return CheckpointSelection(checkpoint: RestorableCheckpoint(manifest: manifest, directory: entry.path), skipped: skipped)
            } catch let error as SnapshotError {
                skipped.append(SkippedCheckpoint(id: entry.id, directory: entry.path, reason: error.message))
            }
        }
        return CheckpointSelection(checkpoint: nil, skipped: skipped)
    }

    /// The checkpoint at `path` (a `chk-<id>` directory or its `_manifest.json`), verified like
    /// `latestRestorable` does; throws `SnapshotError` saying what is wrong.
    public static func load(path: String) throws -> RestorableCheckpoint {
        var directory = path
        if FileIO.lastComponent(path) == manifestName { directory = FileIO.parentDirectory(path) }
        guard FileIO.isDirectory(directory) else {
            throw SnapshotError(.manifest, "\(path): no such checkpoint directory")
        }
        let id = checkpointID(directoryName: FileIO.lastComponent(directory))
        do {
            let manifest = try verify(checkpointDirectory: directory, expectedID: id)
            return RestorableCheckpoint(manifest: manifest, directory: directory)
        } catch let error as SnapshotError {
            throw error.prefixed("\(directory): ")
        }
    }

    /// Reads the manifest of `checkpointDirectory` and checks every file it lists.
    static func verify(checkpointDirectory: String, expectedID: Int64?) throws -> CheckpointManifest {
        let manifest = try readManifest(checkpointDirectory: checkpointDirectory)
        if let expectedID, manifest.id != expectedID {
            throw SnapshotError(.manifest, "its manifest is for checkpoint \(manifest.id), not \(expectedID)")
        }
        for file in manifest.files {
            try verify(file, in: checkpointDirectory, maxParallelism: manifest.maxParallelism)
        }
        return manifest
    }

    static func readManifest(checkpointDirectory: String) throws -> CheckpointManifest {
        let path = checkpointDirectory + "/" + manifestName
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readFile(path)
        } catch let error as SnapshotError {
            throw SnapshotError(.manifest, error.message)
        }
        return try CheckpointManifest.parse(bytes, source: manifestName)
    }

    static func verify(_ file: CheckpointManifest.File, in checkpointDirectory: String, maxParallelism: Int) throws {
        let name = file.path
        if name.isEmpty || name.hasPrefix("/") || name.split(separator: "/").contains("..") {
            throw SnapshotError(.manifest, "the manifest lists \"\(name)\", which is not a path inside the checkpoint")
        }
        if file.keyGroups.upperBound > maxParallelism {
            throw SnapshotError(.manifest, "\(name) holds key groups \(file.keyGroups.lowerBound)..<\(file.keyGroups.upperBound), beyond maxParallelism \(maxParallelism)")
        }
        let path = checkpointDirectory + "/" + name
        guard let size = try FileIO.fileSize(path) else {
            throw SnapshotError(.manifest, "\(name) is missing")
        }
        if size != file.compressedBytes {
            throw SnapshotError(size < file.compressedBytes ? .truncated : .corrupt,
                                "\(name) is \(size) bytes, the manifest says \(file.compressedBytes)")
        }
        var hasher = XXH64()
        try FileIO.forEachBlock(of: path) { hasher.update($0) }
        let checksum = hasher.finalize()
        if checksum != file.xxh64 {
            throw SnapshotError(.checksumMismatch, "\(name) checksum mismatch (XXH64 \(hex(checksum)), the manifest says \(hex(file.xxh64)))")
        }
    }

    /// Reads and verifies the snapshot files of `operatorID` in `checkpoint` whose key groups
    /// overlap `keyGroups`: the state an instance that now owns `keyGroups` restores.
    public static func readSnapshots(of operatorID: String, overlapping keyGroups: Range<Int>,
                                     in checkpoint: RestorableCheckpoint, zstd: Zstd = Zstd()) throws -> [SnapshotFile] {
        try checkpoint.manifest.files(of: operatorID, overlapping: keyGroups).map { entry in
            let file = try SnapshotFile.read(path: checkpoint.directory + "/" + entry.path, zstd: zstd)
            if file.operatorID != entry.operatorID || file.keyGroups != entry.keyGroups {
                throw SnapshotError(.manifest, "\(checkpoint.directory)/\(entry.path) holds \(file.operatorID) key groups \(file.keyGroups), the manifest says \(entry.operatorID) key groups \(entry.keyGroups)")
            }
            return file
        }
    }

    // MARK: Housekeeping

    /// Keeps the newest `n` complete checkpoints and deletes older complete ones, and any
    /// incomplete one older than the newest complete one (a newer incomplete one may be in
    /// progress). Returns the names of the directories deleted, oldest first.
    ///
    /// "Complete" means holding a manifest; a checkpoint is not verified before it is counted, so
    /// keep at least 2 to still have one to fall back to if the newest turns out corrupt. A
    /// checkpoint's manifest is deleted first, so one whose deletion is interrupted is incomplete
    /// (and deleted next time), never a complete one with files missing.
    @discardableResult
    public func retain(last n: Int) throws -> [String] {
        precondition(n >= 1, "keep at least one checkpoint")
        let all = try entries().sorted { $0.id < $1.id }
        let complete = all.filter(\.isComplete)
        guard let newestComplete = complete.last else { return [] }
        let keep = Set(complete.suffix(n).map(\.id))
        var removed: [String] = []
        for entry in all where !keep.contains(entry.id) && entry.id < newestComplete.id {
            if entry.isComplete {
                try FileIO.removeFile(entry.path + "/" + Self.manifestName)
                try FileIO.syncDirectory(entry.path)
            }
            try FileIO.removeTree(entry.path)
            removed.append(FileIO.lastComponent(entry.path))
        }
        if !removed.isEmpty { try FileIO.syncDirectory(directory) }
        return removed
    }

    /// Every checkpoint directory, oldest first, with its manifest when it has one that parses.
    /// Files are not verified (`latestRestorable` and `inspectionText` do).
    public func list() throws -> [CheckpointListing] {
        try entries().sorted { $0.id < $1.id }.map { entry in
            guard entry.isComplete else {
                return CheckpointListing(id: entry.id, directory: entry.path, status: .incomplete, manifest: nil)
            }
            do {
                return CheckpointListing(id: entry.id, directory: entry.path, status: .complete,
                                         manifest: try Self.readManifest(checkpointDirectory: entry.path))
            } catch let error as SnapshotError {
                return CheckpointListing(id: entry.id, directory: entry.path, status: .unreadable(error.message), manifest: nil)
            }
        }
    }

    struct Entry {
        var id: Int64
        var path: String
        var isComplete: Bool
    }

    /// The `chk-<id>` directories (no directory at all is no checkpoints).
    func entries() throws -> [Entry] {
        guard FileIO.isDirectory(directory) else {
            if FileIO.exists(directory) { throw SnapshotError(.io, "\(directory) is not a directory") }
            return []
        }
        return try FileIO.directoryEntries(directory).compactMap { name in
            guard let id = Self.checkpointID(directoryName: name) else { return nil }
            let path = directory + "/" + name
            guard FileIO.isDirectory(path) else { return nil }
            return Entry(id: id, path: path, isComplete: FileIO.exists(path + "/" + Self.manifestName))
        }
    }
}

/// A checkpoint that verified: its manifest and directory.
public struct RestorableCheckpoint: Sendable, Equatable {
    public var manifest: CheckpointManifest
    public var directory: String
}

/// A checkpoint `latestRestorable` passed over, and why.
public struct SkippedCheckpoint: Sendable, Equatable, CustomStringConvertible {
    public var id: Int64
    public var directory: String
    public var reason: String

    /// "chk-7 skipped: count-kg0-64.snap checksum mismatch (…)".
    public var description: String { "\(CheckpointStore.directoryName(id: id)) skipped: \(reason)" }
}

/// The outcome of `latestRestorable`: the checkpoint to restore, if any, and the newer ones
/// that could not be used.
public struct CheckpointSelection: Sendable, Equatable {
    public var checkpoint: RestorableCheckpoint?
    public var skipped: [SkippedCheckpoint]
}

/// A checkpoint directory as `list` sees it.
public struct CheckpointListing: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case complete
        /// No manifest: being written, or abandoned by a crash.
        case incomplete
        /// A manifest that cannot be read or parsed, and why.
        case unreadable(String)
    }

    public var id: Int64
    public var directory: String
    public var status: Status
    public var manifest: CheckpointManifest?
}
