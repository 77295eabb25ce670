// Binary search over sorted arrays: a user's seen items, a buffer's held times.

extension Array where Element: Comparable {
    /// The first index whose element satisfies `belongs`, for a predicate false then true
    /// along the array (binary search).
    func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Whether the array, sorted in increasing order, holds `element`.
    func sortedContains(_ element: Element) -> Bool {
        let position = partitionPoint { $0 >= element }
        return position < count && self[position] == element
    }
}
