import SluiceCore

/// One record of a two-input join, tagged with the input it came from.
///
/// The runtime runs single-input operators only, so a join of streams `A` and `B` maps `A` to
/// `.left(a)` and `B` to `.right(b)`, keys both by the join key into one keyed stage, and feeds
/// the merged stream to a join operator. The stage's watermark is the minimum over both inputs
/// (the runtime merges it), which is what every join's timing below relies on.
///
/// ```swift
/// let input: [JoinInput<Person, Auction>] = [.left(person), .right(auction)]
/// ```
public enum JoinInput<Left, Right> {
    /// A record of the left input.
    case left(Left)
    /// A record of the right input.
    case right(Right)
}

extension JoinInput: Sendable where Left: Sendable, Right: Sendable {}
extension JoinInput: Equatable where Left: Equatable, Right: Equatable {}
extension JoinInput: Hashable where Left: Hashable, Right: Hashable {}
