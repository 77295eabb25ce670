/// The summed scores of a list's candidate items: a small open-addressing table reused from one
/// list to the next, cheaper than a `Dictionary` (no per-process seeded hashing) for the few
/// hundred candidates of a list. Items are kept in the order they first came, so that results
/// never depend on hashing.
struct CandidateScores: Sendable {
    private var slots: [Int32] = Array(repeating: -1, count: 1024)
    private var items: [Int] = []
    private var scores: [Double] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() {
        // Every slot is found before any is cleared: clearing one would cut the probe chains
        // of items stored after it.
        let occupied = items.map { slot(of: $0) }
        for index in occupied { slots[index] = -1 }
        items.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
    }

    /// Adds `score` to `item`'s sum.
    mutating func add(_ item: Int, _ score: Double) {
        if items.count * 2 >= slots.count { grow() }
        let index = slot(of: item)
        if slots[index] >= 0 {
            scores[Int(slots[index])] += score
        } else {
            slots[index] = Int32(items.count)
            items.append(item)
            scores.append(score)
        }
    }

    /// The `count` items with the highest sums (ties: the smaller id first).
    func best(_ count: Int) -> [Int] {
        topItems(zip(items, scores).lazy.map { (item: $0, score: $1) }, count: count)
    }

    /// The slot holding `item`, or the empty slot where it goes (linear probing).
    private func slot(of item: Int) -> Int {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(item)) &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while slots[index] >= 0 && items[Int(slots[index])] != item { index = (index + 1) & mask }
        return index
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for (position, item) in items.enumerated() { slots[slot(of: item)] = Int32(position) }
    }
}
