/// The output of an event-time operator that emits results and the input records that came too
/// late (window, top-N and join operators): what the DSL splits into a stream of results and a
/// stream of late records, with `ResultsOperator` and `LateRecordsOperator`.
public protocol ResultOrLate {
    associatedtype Result
    associatedtype Late
    /// The result, or `nil` for a late record.
    var result: Result? { get }
    /// The late record, or `nil` for a result.
    var lateRecord: Late? { get }
}

extension WindowOutput: ResultOrLate {}

extension WindowTopOutput: ResultOrLate {
    /// The selected record, or `nil` for a late one (as `selected`).
    @inlinable
    public var result: Value? { selected }
}

extension JoinOutput: ResultOrLate {
    /// The joined result, or `nil` for a late record (as `joined`).
    @inlinable
    public var result: Output? { joined }

    /// A late record of either side, for the late-record count.
    @inlinable
    public var lateRecord: JoinInput<Left, Right>? {
        switch self {
        case .joined: nil
        case .lateLeft(let left): .left(left)
        case .lateRight(let right): .right(right)
        }
    }
}
