import SluiceCore

/// What an event-time join emits: joined results, and the input records that came too late to
/// join with anything.
///
/// Late records are returned rather than dropped so that nothing disappears silently
/// (design §4); a pipeline routes them to a late-data output or ignores them on purpose.
///
/// ```swift
/// for case .joined(let row) in output.records { print(row) }
/// ```
public enum JoinOutput<Output, Left, Right> {
    /// A result of the join function.
    case joined(Output)
    /// A left record that arrived after every partner it could have had was gone.
    case lateLeft(Left)
    /// A right record that arrived after every partner it could have had was gone.
    case lateRight(Right)

    /// The joined result, or nil for a late record.
    @inlinable
    public var joined: Output? {
        if case .joined(let output) = self { return output }
        return nil
    }

    /// True for a late left or right record.
    @inlinable
    public var isLate: Bool {
        if case .joined = self { return false }
        return true
    }
}

extension JoinOutput: Sendable where Output: Sendable, Left: Sendable, Right: Sendable {}
extension JoinOutput: Equatable where Output: Equatable, Left: Equatable, Right: Equatable {}
extension JoinOutput: Hashable where Output: Hashable, Left: Hashable, Right: Hashable {}
