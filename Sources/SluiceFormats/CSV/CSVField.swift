/// One field of a CSV line: the byte range of its content (inside the quotes when quoted).
struct CSVField {
    var start: Int
    var end: Int
    /// The field was enclosed in double quotes.
    var quoted: Bool
    /// The quoted content holds doubled quotes (`""`) to turn into single ones.
    var hasDoubledQuotes: Bool

    var count: Int { end &- start }
}
