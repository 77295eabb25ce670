/// A join side declared to carry one record per key (`JoinUniqueKeys`) got a second record of a
/// key while the first was still kept. Joining it would break the promise the join keeps less
/// state on, so the pipeline stops rather than miss pairs silently.
public struct DuplicateJoinKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The side that got the second record: "left" or "right".
    public var side: String
    /// The key, as text.
    public var key: String

    public init(side: String, key: String) {
        self.side = side
        self.key = key
    }

    public var description: String {
        "a join got a second \(side) record of key \(key), but its \(side) side was declared to carry "
            + "one record per key (uniqueKeys: .\(side)); key the join by that side's id, or drop the declaration"
    }
}
