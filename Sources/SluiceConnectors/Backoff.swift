/// Exponential backoff between reconnection attempts: 100 ms, 200 ms, … capped at 5 s,
/// giving up after `maxAttempts` failures in a row.
public struct Backoff: Sendable, Equatable {
    public var initialMilliseconds: Int
    public var maxMilliseconds: Int
    public var maxAttempts: Int
    public private(set) var failures = 0

    public init(initialMilliseconds: Int = 100, maxMilliseconds: Int = 5_000, maxAttempts: Int = 12) {
        self.initialMilliseconds = initialMilliseconds
        self.maxMilliseconds = maxMilliseconds
        self.maxAttempts = maxAttempts
    }

    /// Records a failure; returns how long to wait before the next attempt, or nil to give up.
    public mutating func nextDelay() -> Int? {
        failures += 1
        guard failures < maxAttempts else { return nil }
        let shift = min(failures - 1, 20)
        return min(initialMilliseconds << shift, maxMilliseconds)
    }

    /// A success: the next failure starts from the shortest delay again.
    public mutating func reset() { failures = 0 }
}
