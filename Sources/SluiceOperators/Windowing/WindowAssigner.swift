import SluiceCore

/// How records are grouped into windows. Windows are aligned to the Unix epoch.
public enum WindowAssigner: Sendable, Equatable {
    /// Fixed-size, non-overlapping windows.
    case tumbling(size: Int64)
    /// Windows of `size` starting every `slide` (hopping); each record is in `size / slide` of them.
    case sliding(size: Int64, slide: Int64)
    /// Per key, records closer than `gap` to each other form one window
    /// `[first record's time, last record's time + gap)`.
    case session(gap: Int64)

    /// Tumbling windows of `size`.
    public static func tumbling(_ size: Duration) -> WindowAssigner { .tumbling(size: size.milliseconds) }
    /// Sliding windows of `size` every `slide`.
    public static func sliding(size: Duration, slide: Duration) -> WindowAssigner {
        .sliding(size: size.milliseconds, slide: slide.milliseconds)
    }
    /// Session windows closed after `gap` without records.
    public static func session(gap: Duration) -> WindowAssigner { .session(gap: gap.milliseconds) }

    /// The start of the aligned window or pane of length `length` that contains `time`.
    @inlinable
    public static func alignedStart(_ time: EventTime, _ length: Int64) -> EventTime {
        let remainder = time % length
        return time - (remainder < 0 ? remainder + length : remainder)
    }

    /// The windows that contain `time` (for a session: the record's own, not yet merged, window).
    public func windows(containing time: EventTime) -> [Window] {
        switch self {
        case .tumbling(let size):
            let start = Self.alignedStart(time, size)
            return [Window(start: start, end: start + size)]
        case .sliding(let size, let slide):
            var windows: [Window] = []
            var start = Self.alignedStart(time, slide)
            while start > time - size {
                windows.append(Window(start: start, end: start + size))
                start -= slide
            }
            return windows
        case .session(let gap):
            return [Window(start: time, end: time + gap)]
        }
    }
}
