/// A line of the `trending` output: a category's most interacted items in one window.
public struct TrendingRow: Sendable, Codable, Hashable {
    public var category: Int
    public var windowStart: Int64
    public var windowEnd: Int64
    public var items: [Int]

    public init(category: Int, windowStart: Int64, windowEnd: Int64, items: [Int]) {
        self.category = category
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.items = items
    }
}
