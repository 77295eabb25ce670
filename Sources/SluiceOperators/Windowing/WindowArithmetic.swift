import SluiceCore

/// Time arithmetic shared by the window stores, kept in one namespace so that it cannot clash with
/// helpers of other operators in this module.
@usableFromInline enum WindowArithmetic {
    /// `a + b`, clamped to the range of `EventTime`: a cleanup time of `maxTimestamp + lateness`
    /// must not trap for windows near the end of time.
    @inlinable static func add(_ a: EventTime, _ b: EventTime) -> EventTime {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b > 0 ? .max : .min) : sum
    }

    /// The index of the first element of `elements` (sorted by `key`) whose key is `>= value`.
    @inlinable static func lowerBound<C: RandomAccessCollection>(
        _ elements: C, _ value: EventTime, by key: (C.Element) -> EventTime
    ) -> C.Index {
        var low = elements.startIndex
        var count = elements.count
        // A key's panes or sessions are few, and the one sought is usually among the first: a
        // linear scan takes fewer steps and branches better than halving.
        if count <= 8 {
            while low != elements.endIndex, key(elements[low]) < value { low = elements.index(after: low) }
            return low
        }
        while count > 0 {
            let half = count / 2
            let middle = elements.index(low, offsetBy: half)
            if key(elements[middle]) < value {
                low = elements.index(after: middle)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
