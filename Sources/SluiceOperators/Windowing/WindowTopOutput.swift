/// What `WindowTopOperator` emits: a selected record of a fired window, or a record that arrived
/// after its window had fired.
public enum WindowTopOutput<Value> {
    /// One of the records the selection kept when the window fired.
    case selected(Value)
    /// A record whose window had already fired (the watermark had reached its `maxTimestamp`).
    case late(Value)

    /// The selected record, or `nil` for a late one.
    @inlinable
    public var selected: Value? {
        if case .selected(let value) = self { return value }
        return nil
    }

    /// The late record, or `nil` for a selected one.
    @inlinable
    public var lateRecord: Value? {
        if case .late(let value) = self { return value }
        return nil
    }
}

extension WindowTopOutput: Sendable where Value: Sendable {}
extension WindowTopOutput: Equatable where Value: Equatable {}
extension WindowTopOutput: Hashable where Value: Hashable {}
