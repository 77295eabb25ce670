import FoundationEssentials
import SluiceCore

/// What a complete checkpoint holds: `_manifest.json` in its directory, written last as the
/// commit point (see `CheckpointStore.commit`).
///
/// ```json
/// {
///   "createdAt" : 1764415203123,
///   "extra" : { },
///   "files" : [ { "compressedBytes" : 412, "keyGroupEnd" : 64, "keyGroupStart" : 0,
///                 "operator" : "count", "path" : "count-kg0-64.snap", "records" : 90,
///                 "uncompressedBytes" : 1440, "xxh64" : "9f5c0e1d2a3b4c5d" } ],
///   "formatVersion" : 1,
///   "id" : 7,
///   "maxParallelism" : 128,
///   "operators" : [ "bids", "count", "out" ],
///   "sinks" : { "out" : [ { "committedBytes" : 5120, "path" : "out/part-0" } ] },
///   "sourceOffsets" : { },
///   "sources" : { "bids" : [ { "end" : 8192, "path" : "bids.jsonl", "start" : 4096, "startsAtLine" : true } ] }
/// }
/// ```
public struct CheckpointManifest: Codable, Sendable, Equatable {
    /// The manifest format this build writes and the newest it reads.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// The checkpoint's number: its directory is `chk-<id>`.
    public var id: Int64
    /// When the checkpoint was committed, in epoch milliseconds.
    public var createdAt: Int64
    /// The pipeline's shape: the ids of its stateful steps and the names of its sources and
    /// sinks. A checkpoint restores only into a pipeline with the same list (see `checkShape`).
    public var operators: [String]
    /// The number of key groups, fixed for the life of the pipeline's state.
    public var maxParallelism: Int
    /// The snapshot files, one per operator instance and key-group range.
    public var files: [File]
    /// Per file source: the parts of its files still to be read.
    public var sources: [String: [FileSegment]]
    /// Per generated source: per instance, the number of the next record it makes.
    public var sourceOffsets: [String: [Int64]]
    /// Per file sink: per instance, its output and how much of it is committed.
    public var sinks: [String: [SinkState]]
    /// Anything else the runtime wants to keep, shown by inspection.
    public var extra: [String: String]

    public init(id: Int64, createdAt: Int64, operators: [String], maxParallelism: Int, files: [File] = [],
                sources: [String: [FileSegment]] = [:], sourceOffsets: [String: [Int64]] = [:],
                sinks: [String: [SinkState]] = [:], extra: [String: String] = [:]) {
        formatVersion = Self.currentFormatVersion
        self.id = id
        self.createdAt = createdAt
        self.operators = operators
        self.maxParallelism = maxParallelism
        self.files = files
        self.sources = sources
        self.sourceOffsets = sourceOffsets
        self.sinks = sinks
        self.extra = extra
    }

    /// One snapshot file of the checkpoint.
    public struct File: Codable, Sendable, Equatable {
        /// The file's path relative to the checkpoint directory.
        public var path: String
        public var operatorID: String
        public var keyGroups: Range<Int>
        public var recordCount: Int64
        /// The file's size on disk: header and compressed content.
        public var compressedBytes: Int64
        /// The size of the content before compression.
        public var uncompressedBytes: Int64
        /// XXH64 of the file's bytes (written in JSON as 16 hexadecimal digits).
        public var xxh64: UInt64

        public init(path: String, operatorID: String, keyGroups: Range<Int>, recordCount: Int64,
                    compressedBytes: Int64, uncompressedBytes: Int64, xxh64: UInt64) {
            self.path = path
            self.operatorID = operatorID
            self.keyGroups = keyGroups
            self.recordCount = recordCount
            self.compressedBytes = compressedBytes
            self.uncompressedBytes = uncompressedBytes
            self.xxh64 = xxh64
        }

        /// The entry for a file just written by `SnapshotFile.write`, at `path` relative to the
        /// checkpoint directory.
        public init(path: String, file: SnapshotFile, info: SnapshotFileInfo) {
            self.init(path: path, operatorID: file.operatorID, keyGroups: file.keyGroups, recordCount: info.recordCount,
                      compressedBytes: info.fileBytes, uncompressedBytes: info.uncompressedBytes, xxh64: info.fileChecksum)
        }

        enum CodingKeys: String, CodingKey {
            case path, operatorID = "operator", keyGroupStart, keyGroupEnd, recordCount = "records"
            case compressedBytes, uncompressedBytes, xxh64
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            path = try container.decode(String.self, forKey: .path)
            operatorID = try container.decode(String.self, forKey: .operatorID)
            let start = try container.decode(Int.self, forKey: .keyGroupStart)
            let end = try container.decode(Int.self, forKey: .keyGroupEnd)
            guard start >= 0, start <= end else {
                throw DecodingError.dataCorruptedError(forKey: .keyGroupEnd, in: container, debugDescription: "key-group range \(start)..<\(end) is empty or negative")
            }
            keyGroups = start..<end
            recordCount = try container.decodeIfPresent(Int64.self, forKey: .recordCount) ?? 0
            compressedBytes = try container.decode(Int64.self, forKey: .compressedBytes)
            uncompressedBytes = try container.decode(Int64.self, forKey: .uncompressedBytes)
            let digits = try container.decode(String.self, forKey: .xxh64)
            guard digits.utf8.count == 16, let value = UInt64(digits, radix: 16) else {
                throw DecodingError.dataCorruptedError(forKey: .xxh64, in: container, debugDescription: "\"\(digits)\" is not 16 hexadecimal digits")
            }
            xxh64 = value
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(operatorID, forKey: .operatorID)
            try container.encode(keyGroups.lowerBound, forKey: .keyGroupStart)
            try container.encode(keyGroups.upperBound, forKey: .keyGroupEnd)
            try container.encode(recordCount, forKey: .recordCount)
            try container.encode(compressedBytes, forKey: .compressedBytes)
            try container.encode(uncompressedBytes, forKey: .uncompressedBytes)
            try container.encode(String(hex(xxh64).dropFirst(2)), forKey: .xxh64)
        }
    }

    /// A file sink instance's output: the file and how many of its bytes are committed. On
    /// resume, bytes past `committedBytes` are truncated away.
    public struct SinkState: Codable, Sendable, Equatable {
        public var path: String
        public var committedBytes: Int64

        public init(path: String, committedBytes: Int64) {
            self.path = path
            self.committedBytes = committedBytes
        }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion, id, createdAt, operators, maxParallelism, files, sources, sourceOffsets, sinks, extra
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        guard formatVersion >= 1 && formatVersion <= Self.currentFormatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .formatVersion, in: container,
                debugDescription: "unsupported manifest format version \(formatVersion) (this build reads 1 to \(Self.currentFormatVersion))")
        }
        id = try container.decode(Int64.self, forKey: .id)
        createdAt = try container.decode(Int64.self, forKey: .createdAt)
        operators = try container.decode([String].self, forKey: .operators)
        maxParallelism = try container.decode(Int.self, forKey: .maxParallelism)
        files = try container.decodeIfPresent([File].self, forKey: .files) ?? []
        sources = try container.decodeIfPresent([String: [FileSegment]].self, forKey: .sources) ?? [:]
        sourceOffsets = try container.decodeIfPresent([String: [Int64]].self, forKey: .sourceOffsets) ?? [:]
        sinks = try container.decodeIfPresent([String: [SinkState]].self, forKey: .sinks) ?? [:]
        extra = try container.decodeIfPresent([String: String].self, forKey: .extra) ?? [:]
    }

    // MARK: JSON

    /// The manifest as pretty-printed JSON with sorted keys (the same manifest gives the same bytes).
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = Array(try encoder.encode(self))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Parses a manifest; `source` names it in errors (kind `.manifest`).
    public static func parse(_ bytes: [UInt8], source: String = "manifest") throws -> CheckpointManifest {
        do {
            return try JSONDecoder().decode(CheckpointManifest.self, from: Data(bytes))
        } catch {
            throw SnapshotError(.manifest, "\(source): not a valid checkpoint manifest: \(BinaryDecoding.describe(error))")
        }
    }

    // MARK: Restoring

    /// Throws unless this checkpoint was written by a pipeline of the given shape: the same
    /// operator ids (in any order) and the same `maxParallelism`.
    public func checkShape(operators expected: [String], maxParallelism expectedMax: Int) throws {
        var problems: [String] = []
        let mine = Set(operators), theirs = Set(expected)
        let missing = expected.filter { !mine.contains($0) }
        let unknown = operators.filter { !theirs.contains($0) }
        if !missing.isEmpty { problems.append("it has no state for \(missing.joined(separator: ", "))") }
        if !unknown.isEmpty { problems.append("it has \(unknown.joined(separator: ", ")), which this pipeline lacks") }
        if maxParallelism != expectedMax {
            problems.append("its maxParallelism is \(maxParallelism), this pipeline's \(expectedMax)")
        }
        if !problems.isEmpty {
            throw SnapshotError(.manifest, "checkpoint \(id) was written by a different pipeline: \(problems.joined(separator: "; "))")
        }
    }

    /// The files of `operatorID` whose key groups overlap `keyGroups`: what an instance that now
    /// owns `keyGroups` restores from (after a change of parallelism, several files, each holding
    /// some key groups that are not its own).
    public func files(of operatorID: String, overlapping keyGroups: Range<Int>) -> [File] {
        files.filter { $0.operatorID == operatorID && $0.keyGroups.overlaps(keyGroups) }
    }
}
