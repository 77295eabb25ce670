/// The sides of a join that carry at most one record per key: the join key is that side's id
/// (an auction joined by its `id`, a person by theirs).
///
/// The join relies on it to keep less: once a unique side's record of a key has arrived, no
/// other record of that side can come, so the other side's records of the key can match nothing
/// more and are not kept (those that waited for it are dropped when it arrives). A join of bids
/// with their auction then keeps one row per auction instead of every bid as well.
///
/// The declaration is checked only against the rows kept: a second record of a key on a unique
/// side stops the pipeline with `DuplicateJoinKeyError` while the first is kept. One that comes
/// after the first was dropped (past its retention) cannot be seen, and may miss partners, as
/// with Flink's `PRIMARY KEY … NOT ENFORCED`.
public struct JoinUniqueKeys: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The left side (the stream `join` is called on) has at most one record per key.
    public static let left = JoinUniqueKeys(rawValue: 1)
    /// The right side (the stream passed to `join`) has at most one record per key.
    public static let right = JoinUniqueKeys(rawValue: 2)
}
