/// The `count` items with the highest scores, highest first; ties go to the smaller id, so that
/// the result never depends on the order the pairs come in (a dictionary's, say).
///
/// One pass with a small sorted list: for the few hundred candidates of a list and the ten or
/// twenty it keeps, cheaper than sorting them all.
func topItems(_ scored: some Sequence<(item: Int, score: Double)>, count: Int) -> [Int] {
    var top: [(item: Int, score: Double)] = []
    top.reserveCapacity(count + 1)
    for candidate in scored {
        guard top.count < count || ranksAbove(candidate, top[top.count - 1]) else { continue }
        let position = top.firstIndex { ranksAbove(candidate, $0) } ?? top.count
        top.insert(candidate, at: position)
        if top.count > count { top.removeLast() }
    }
    return top.map(\.item)
}

private func ranksAbove(_ a: (item: Int, score: Double), _ b: (item: Int, score: Double)) -> Bool {
    a.score > b.score || (a.score == b.score && a.item < b.item)
}
