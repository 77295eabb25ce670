import SluiceCore

/// What a resumed run takes from the checkpoint it resumes: where each source goes on,
/// each stateful operator's saved state, and how far each sink's output was committed.
struct RestorePlan {
    /// Checkpoint id, for messages.
    var checkpointID: Int64
    /// Per file source: every segment any instance had still to read.
    var sourceSegments: [String: [FileSegment]]
    /// Per generated source: per instance, the next record number (same parallelism only).
    var generatedOffsets: [String: [Int: Int64]]
    /// Per stateful operator: its snapshot files' key-group ranges and a way to read each.
    var operatorStates: [String: [(keyGroups: Range<Int>, load: () throws -> [UInt8])]]
    /// Per sink: per instance, the file and its committed length.
    var sinkStates: [String: [Int: (path: String, committedBytes: Int64)]]

    /// The saved state that instance `keyGroups` of operator `id` must restore, if any.
    func state(of id: String, keyGroups: Range<Int>, map: KeyGroups) throws -> RestoredState? {
        guard let files = operatorStates[id] else { return nil }
        let blobs = try files.filter { $0.keyGroups.overlaps(keyGroups) }.map { try $0.load() }
        return RestoredState(blobs: blobs, keyGroups: keyGroups, keyGroupMap: map)
    }
}
