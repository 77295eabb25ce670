import SluiceCore

/// Combines the watermarks of several inputs: the combined watermark is the minimum over the
/// inputs that have not ended, and it never goes back.
public struct WatermarkMerger: Sendable, Equatable {
    private var watermarks: [EventTime]
    private var ended: [Bool]
    private var idle: [Bool]
    public private(set) var current: EventTime = .noTime

    public init(inputs: Int) {
        watermarks = Array(repeating: .noTime, count: inputs)
        ended = Array(repeating: false, count: inputs)
        idle = Array(repeating: false, count: inputs)
    }

    /// Whether every input has ended.
    public var allEnded: Bool { !ended.contains(false) }

    /// Records `watermark` from `input`.
    /// - Returns: the new combined watermark if it advanced.
    public mutating func advance(input: Int, to watermark: EventTime) -> EventTime? {
        if watermark > watermarks[input] { watermarks[input] = watermark }
        idle[input] = false
        return recompute()
    }

    /// Records that `input` went idle (or became active): an idle input does not hold the
    /// combined watermark back, unless every open input is idle.
    /// - Returns: the new combined watermark if it advanced.
    public mutating func setIdle(input: Int, _ isIdle: Bool) -> EventTime? {
        idle[input] = isIdle
        return recompute()
    }

    /// Records that `input` ended: it no longer holds the watermark back.
    /// - Returns: the new combined watermark if it advanced.
    public mutating func end(input: Int) -> EventTime? {
        ended[input] = true
        return recompute()
    }

    private mutating func recompute() -> EventTime? {
        var minimum = EventTime.endOfTime
        var anyActive = false
        for i in watermarks.indices where !ended[i] && !idle[i] {
            anyActive = true
            minimum = min(minimum, watermarks[i])
        }
        guard anyActive, minimum > current else { return nil }
        current = minimum
        return minimum
    }
}
