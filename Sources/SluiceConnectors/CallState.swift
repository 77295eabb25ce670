/// State that a format's decode or encode closure mutates on every call: a decoder's tables,
/// an encoder's plans.
///
/// A `var` captured by an escaping closure is boxed, and Swift checks every access to the box
/// for exclusivity at run time (a thread-local set of accesses: about 3 % of q0's time from a
/// file, once per line). Each closure here is called by one thread at a time and never
/// re-entered, so the check can never fire; this box turns it off.
@usableFromInline
final class CallState<Value> {
    @exclusivity(unchecked) @usableFromInline var value: Value

    @inlinable
    init(_ value: Value) {
        self.value = value
    }
}
