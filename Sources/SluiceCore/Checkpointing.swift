/// A part of a file still to be read: the lines that start in `[start, end)`. `start` is a
/// line boundary when `startsAtLine` (positions recorded by a checkpoint always are).
public struct FileSegment: Codable, Sendable, Hashable {
    public var path: String
    public var start: Int64
    public var end: Int64
    public var startsAtLine: Bool

    public init(path: String, start: Int64, end: Int64, startsAtLine: Bool) {
        self.path = path
        self.start = start
        self.end = end
        self.startsAtLine = startsAtLine
    }
}

/// An operator instance's state, taken when a checkpoint barrier passes it: a cheap
/// (copy-on-write) copy of the state, serialised later on a checkpoint thread.
public struct StateSnapshot: @unchecked Sendable {
    /// Serialises the copy: the bytes and the number of entries in them.
    public let serialize: () throws -> (bytes: [UInt8], records: Int)

    public init(serialize: @escaping () throws -> (bytes: [UInt8], records: Int)) {
        self.serialize = serialize
    }
}

/// The serialised state of some key-group range of an operator, handed back on restore.
public struct RestoredState: Sendable {
    /// The contents of every snapshot file of the operator whose key groups overlap the instance's.
    public var blobs: [[UInt8]]
    /// The key groups the restoring instance owns: entries outside belong to another instance.
    public var keyGroups: Range<Int>
    public var keyGroupMap: KeyGroups

    public init(blobs: [[UInt8]], keyGroups: Range<Int>, keyGroupMap: KeyGroups) {
        self.blobs = blobs
        self.keyGroups = keyGroups
        self.keyGroupMap = keyGroupMap
    }
}

/// Where the instances of a running pipeline report what a checkpoint needs from them.
public protocol CheckpointCollector: AnyObject, Sendable {
    var checkpointID: Int64 { get }
    /// A stateful operator instance's state.
    func addState(operatorID: String, instance: Int, keyGroups: Range<Int>, snapshot: StateSnapshot)
    /// A file source instance's position: what it has still to read.
    func addSourcePosition(source: String, instance: Int, segments: [FileSegment])
    /// A generated source instance's position: the next record number it makes.
    func addSourceOffset(source: String, instance: Int, next: Int64)
    /// A file sink instance's output, durable up to `committedBytes`.
    func addSinkState(sink: String, instance: Int, path: String, committedBytes: Int64)
    /// Chain `chain` (one thread: a source or a gate reader, and what is fused to it) has handled
    /// the barrier (sources: injected it; gate readers: aligned it).
    func chainDone(chain: Int)
    /// Something could not take part (a write failed): the checkpoint fails, the pipeline goes on.
    func fail(_ reason: String)
}
