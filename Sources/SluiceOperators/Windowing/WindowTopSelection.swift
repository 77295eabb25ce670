/// Which records of a window `WindowTopOperator` emits.
public enum WindowTopSelection: Sendable, Hashable {
    /// The `n` greatest records (fewer if the window has fewer); among equal records, those that
    /// arrived first. Emitted greatest first.
    case top(Int)
    /// Every record equal to the window's greatest (ties kept), in arrival order: Nexmark q5's
    /// "auctions whose count equals the window's maximum".
    case allMaximal
}
