import SluiceCore

/// Event-time arithmetic that saturates instead of trapping.
///
/// Join bounds are added to record times and watermarks, and the watermark starts at
/// `EventTime.noTime` (`Int64.min`) and ends at `EventTime.endOfTime` (`Int64.max`): plain `+`
/// would trap exactly at the start and the end of every input.
@usableFromInline enum JoinTimeMath {
    /// `time + offset`, clamped to the range of `EventTime`.
    @inlinable @inline(__always)
    static func add(_ time: EventTime, _ offset: Int64) -> EventTime {
        let (sum, overflow) = time.addingReportingOverflow(offset)
        guard overflow else { return sum }
        return offset > 0 ? .max : .min
    }

    /// `time - offset`, clamped to the range of `EventTime`.
    @inlinable @inline(__always)
    static func subtract(_ time: EventTime, _ offset: Int64) -> EventTime {
        let (difference, overflow) = time.subtractingReportingOverflow(offset)
        guard overflow else { return difference }
        return offset < 0 ? .max : .min
    }
}
