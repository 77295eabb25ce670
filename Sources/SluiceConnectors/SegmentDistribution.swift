import SluiceCore

/// Spreads what is left to read over a new number of instances, for a resumed run (which may
/// have another parallelism than the run that wrote the checkpoint).
public enum SegmentDistribution {
    /// `instances` lists of segments with about equal byte counts, in input order. A segment
    /// cut in two continues as a segment that starts inside a line (its first partial line
    /// belongs to the previous part, by the same rule as fresh ranges).
    public static func distribute(_ segments: [FileSegment], over instances: Int) -> [[FileSegment]] {
        precondition(instances > 0)
        var shares = Array(repeating: [FileSegment](), count: instances)
        // Followed files have no end: one instance reads them, as in a fresh follow-mode run.
        if segments.contains(where: { $0.end == .max }) {
            shares[0] = segments
            return shares
        }
        let total = segments.reduce(Int64(0)) { $0 + max(0, $1.end - $1.start) }
        guard total > 0 else { return shares }
        var instance = 0
        var filled: Int64 = 0
        for var segment in segments where segment.end > segment.start {
            while instance < instances - 1 {
                let quota = total * Int64(instance + 1) / Int64(instances) - filled
                let length = segment.end - segment.start
                if length <= quota {
                    break
                }
                if quota > 0 {
                    let cut = segment.start + quota
                    shares[instance].append(FileSegment(path: segment.path, start: segment.start, end: cut,
                                                        startsAtLine: segment.startsAtLine))
                    filled += quota
                    segment = FileSegment(path: segment.path, start: cut, end: segment.end, startsAtLine: false)
                }
                instance += 1
            }
            filled += segment.end - segment.start
            shares[instance].append(segment)
        }
        return shares
    }
}
