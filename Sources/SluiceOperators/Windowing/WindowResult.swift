import SluiceCore

/// The result of one window for one key: what a window operator emits when the window fires.
///
/// ```swift
/// let row = WindowResult(key: 1007, window: Window(start: 0, end: 10_000), value: 42)
/// print(row.window.start, row.key, row.value)   // 0 1007 42
/// ```
/// The record is emitted with the event time `window.maxTimestamp`, so a downstream window of
/// the same or a larger size puts it in the window it came from.
public struct WindowResult<Key, Value> {
    /// The key whose records were aggregated.
    public var key: Key
    /// The window the records belong to.
    public var window: Window
    /// The aggregate (or the value a process function emitted) of the window.
    public var value: Value

    /// Creates a result of `window` for `key`.
    public init(key: Key, window: Window, value: Value) {
        self.key = key
        self.window = window
        self.value = value
    }
}

extension WindowResult: Sendable where Key: Sendable, Value: Sendable {}
extension WindowResult: Equatable where Key: Equatable, Value: Equatable {}
extension WindowResult: Hashable where Key: Hashable, Value: Hashable {}
extension WindowResult: Codable where Key: Codable, Value: Codable {}

extension WindowResult: CustomStringConvertible {
    /// `key@[start, end)=value`, for test failures and logs.
    public var description: String { "\(key)@\(window)=\(value)" }
}
