import SluiceCore

/// What a keyed window operator emits: a window's result, or an input record that came too late
/// for every window it belongs to.
///
/// Late records are never dropped silently (design.md §4): the DSL splits this enum into the main
/// output and the late-data output.
///
/// ```swift
/// switch output {
/// case .result(let result): print(result.window, result.value)
/// case .late(let bid): print("late:", bid)
/// }
/// ```
public enum WindowOutput<Key, Input, Value> {
    /// A window fired (or fired again with a correction, within the allowed lateness).
    case result(WindowResult<Key, Value>)
    /// A record whose windows had all passed their allowed lateness when it arrived.
    case late(Input)

    /// The window result, or `nil` for a late record.
    @inlinable
    public var result: WindowResult<Key, Value>? {
        if case .result(let result) = self { return result }
        return nil
    }

    /// The late record, or `nil` for a window result.
    @inlinable
    public var lateRecord: Input? {
        if case .late(let record) = self { return record }
        return nil
    }
}

extension WindowOutput: Sendable where Key: Sendable, Input: Sendable, Value: Sendable {}
extension WindowOutput: Equatable where Key: Equatable, Input: Equatable, Value: Equatable {}
extension WindowOutput: Hashable where Key: Hashable, Input: Hashable, Value: Hashable {}
