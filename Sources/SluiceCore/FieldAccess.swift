/// Reading a field of a record by key path, fast.
public enum FieldAccess {
    /// A function that reads `keyPath` of a record.
    ///
    /// Reading through a key path is a runtime call per record (`swift_getAtKeyPath`, hundreds of
    /// instructions: a fifth of Nexmark q5's went to two of them). When the path names stored
    /// properties of a struct, the function reads the value at its byte offset instead, which
    /// costs a load (and a retain for values that hold references).
    @inlinable
    public static func reader<Root, Value>(_ keyPath: KeyPath<Root, Value>) -> @Sendable (Root) -> Value {
        if let offset = MemoryLayout<Root>.offset(of: keyPath) {
            return { root in value(at: offset, of: root, as: Value.self) }
        }
        nonisolated(unsafe) let path = keyPath
        return { $0[keyPath: path] }
    }

    /// The value of type `Value` at byte `offset` of `root`: an offset that
    /// `MemoryLayout<Root>.offset(of:)` gave for a key path to a `Value`.
    ///
    /// Code that knows the offset calls this directly, so that the read is compiled into it
    /// instead of being a call of the function `reader` returns.
    @inlinable @inline(__always)
    public static func value<Root, Value>(at offset: Int, of root: Root, as _: Value.Type) -> Value {
        withUnsafeBytes(of: root) { $0.load(fromByteOffset: offset, as: Value.self) }
    }
}
