import SluiceCore

/// A half-open interval of event time, `[start, end)`, in epoch milliseconds.
public struct Window: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var start: EventTime
    public var end: EventTime

    @inlinable
    public init(start: EventTime, end: EventTime) {
        precondition(start < end, "a window must not be empty")
        self.start = start
        self.end = end
    }

    /// The last time that belongs to the window.
    @inlinable public var maxTimestamp: EventTime { end - 1 }

    @inlinable public func contains(_ time: EventTime) -> Bool { time >= start && time < end }

    public static func < (a: Window, b: Window) -> Bool {
        (a.end, a.start) < (b.end, b.start)
    }

    public var description: String { "[\(start), \(end))" }
}
