/// A run of bytes inside one of the generator's text pools.
struct TextSlice {
    /// Offset of the first byte in the pool.
    var offset: Int
    /// Number of bytes.
    var length: Int

    /// The empty slice.
    static let empty = TextSlice(offset: 0, length: 0)
}
