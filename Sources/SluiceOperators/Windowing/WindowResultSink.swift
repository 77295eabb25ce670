import SluiceCore

/// Where the window stores deliver fired windows: the aggregate operator appends results to its
/// output batch, the process operator calls the user's function. Generic, so that each operator's
/// store is specialised for its sink and emitting costs no closure call.
@usableFromInline protocol WindowResultSink<Key, Value> {
    associatedtype Key
    associatedtype Value
    /// Delivers the result of `window` for `key`.
    mutating func emit(key: Key, window: Window, value: Value) throws
    /// Makes room for about `count` more results, about to be emitted at once (a window that
    /// most keys share firing), so that the output grows once rather than by repeated doubling.
    mutating func reserveCapacity(forAdditional count: Int)
}
