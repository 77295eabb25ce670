import Foundation

/// Scores a recommender's output by next-item hit rate @10, beside a popularity baseline.
///
/// The interactions are replayed in event-time order (a stable sort by `ts`, so events with the
/// same `ts` keep their file order). Each interaction whose user has an output line with a `ts`
/// strictly below the interaction's is scored: the list is the user's latest such line (largest
/// `ts`; among lines with that `ts`, the last in output order), and it is a hit if the
/// interaction's item is in it. "Strictly below" because a line stamped with the interaction's
/// own `ts` already reflects that interaction.
///
/// The baseline is scored on exactly those interactions: the ten items with the most weight
/// (view 1, cart 3, purchase 5) over the hour before the interaction — interactions earlier in
/// the replay with `ts` in `(ts − 1 h, ts]` — leaving out items the user had already interacted
/// with earlier in the replay, as the recommender does. Ties in weight go to the lower item id.
///
/// Interactions of a type other than view, cart and purchase are left out altogether.
public enum HitRateEvaluator {
    /// How many items a list holds.
    public static let listLength = 10
    /// The baseline's look-back, in milliseconds of event time.
    public static let baselineWindow: Int64 = 3_600_000

    /// The report for `recommendations` (in output order) on `interactions` (in file order).
    public static func evaluate(interactions: [Interaction], recommendations: [Recommendation]) -> HitRateReport {
        var replay: [(ts: Int64, user: Int, item: Int, weight: Int)] = []
        replay.reserveCapacity(interactions.count)
        for interaction in interactions {
            guard let kind = interaction.kind else { continue }
            replay.append((interaction.ts, interaction.user, interaction.item, Int(kind.weight)))
        }
        // Sorting (ts, file position) pairs is the stable sort the definition asks for.
        let order = replay.indices.sorted { (replay[$0].ts, $0) < (replay[$1].ts, $1) }

        // Each user's lines by (ts, output position): the line in force before time t is then
        // the last one with ts < t, and the replay only ever moves forward through them.
        var lines: [Int: [Int]] = [:]
        for (position, line) in recommendations.enumerated() {
            lines[line.user, default: []].append(position)
        }
        lines = lines.mapValues { $0.sorted { (recommendations[$0].ts, $0) < (recommendations[$1].ts, $1) } }
        var linesPassed: [Int: Int] = [:]

        var trending = Trending(items: replay.map(\.item))
        var seen: [Int: Set<Int>] = [:]
        var windowStart = 0
        var scored = 0
        var hits = 0
        var baselineHits = 0
        for index in order {
            let now = replay[index]
            while replay[order[windowStart]].ts <= now.ts - baselineWindow {
                let old = replay[order[windowStart]]
                trending.add(item: old.item, weight: -old.weight)
                windowStart += 1
            }

            if let userLines = lines[now.user] {
                var passed = linesPassed[now.user, default: 0]
                while passed < userLines.count && recommendations[userLines[passed]].ts < now.ts {
                    passed += 1
                }
                linesPassed[now.user] = passed
                if passed > 0 {
                    scored += 1
                    if recommendations[userLines[passed - 1]].items.contains(now.item) { hits += 1 }
                    let userSeen = seen[now.user] ?? []
                    if trending.isInTop(listLength, item: now.item, excluding: userSeen) { baselineHits += 1 }
                }
            }

            seen[now.user, default: []].insert(now.item)
            trending.add(item: now.item, weight: now.weight)
        }
        return HitRateReport(interactions: scored, hits: hits, baselineHits: baselineHits)
    }

    /// The interactions of a JSON-lines file, in file order; blank lines are skipped.
    public static func readInteractions(path: String) throws -> [Interaction] {
        try readLines(path: path, as: Interaction.self)
    }

    /// The recommendations of a JSON-lines file, in file order; blank lines are skipped.
    public static func readRecommendations(path: String) throws -> [Recommendation] {
        try readLines(path: path, as: Recommendation.self)
    }

    /// A line of a JSON-lines file that could not be read.
    public struct ReadError: Error, CustomStringConvertible {
        /// The file.
        public var path: String
        /// The line number, from 1.
        public var line: Int
        /// What was wrong with it.
        public var reason: String

        public var description: String { "\(path):\(line): \(reason)" }
    }

    private static func readLines<T: Decodable>(path: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        var values: [T] = []
        var lineNumber = 0
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            lineNumber += 1
            let line = data[start..<end]
            start = end < data.endIndex ? end + 1 : end
            // Trailing "\r" and spaces count as blank too, so a CRLF file's empty lines are skipped.
            guard line.contains(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0D) }) else { continue }
            do {
                values.append(try decoder.decode(T.self, from: line))
            } catch {
                let text = String(decoding: line.prefix(200), as: UTF8.self)
                throw ReadError(path: path, line: lineNumber, reason: "not a \(T.self): \(text) (\(error))")
            }
        }
        return values
    }
}

// Helpers nested in the type, so their names cannot clash with the rest of the module.
extension HitRateEvaluator {
    /// The baseline's sliding item weights: a tournament tree over the items, so that adding an
    /// event and finding the heaviest items both take about log(items) steps, however many events
    /// the window holds.
    fileprivate struct Trending {
        /// Item ids in ascending order; an item's position here is its leaf, so the tree's tie-break
        /// on position is a tie-break on id.
        private let ids: [Int]
        private let leafOf: [Int: Int]
        private var weight: [Int]
        /// `best[node]`: the leaf with the most weight below `node` (lowest on ties); leaves start at
        /// `leaves`. Padding leaves weigh -1, below any real item.
        private var best: [Int32]
        private let leaves: Int

        init(items: [Int]) {
            ids = Array(Set(items)).sorted()
            leafOf = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
            var leaves = 1
            while leaves < max(ids.count, 1) { leaves *= 2 }
            self.leaves = leaves
            weight = [Int](repeating: 0, count: leaves)
            for padding in ids.count..<leaves { weight[padding] = -1 }
            best = [Int32](repeating: 0, count: 2 * leaves)
            for leaf in 0..<leaves { best[leaves + leaf] = Int32(leaf) }
            for node in stride(from: leaves - 1, to: 0, by: -1) {
                best[node] = winner(best[2 * node], best[2 * node + 1])
            }
        }

        private func winner(_ a: Int32, _ b: Int32) -> Int32 {
            let wa = weight[Int(a)]
            let wb = weight[Int(b)]
            return wa > wb || (wa == wb && a < b) ? a : b
        }

        /// Whether leaf `a` ranks above leaf `b`.
        private func ranksAbove(_ a: Int32, _ b: Int32) -> Bool {
            a != b && winner(a, b) == a
        }

        mutating func add(item: Int, weight delta: Int) {
            let leaf = leafOf[item]!
            weight[leaf] += delta
            var node = (leaves + leaf) / 2
            while node >= 1 {
                best[node] = winner(best[2 * node], best[2 * node + 1])
                node /= 2
            }
        }

        /// Whether `item` is among the `count` heaviest items with positive weight, not counting
        /// those in `excluded`.
        func isInTop(_ count: Int, item: Int, excluding excluded: Set<Int>) -> Bool {
            guard !excluded.contains(item), let target = leafOf[item], weight[target] > 0 else { return false }
            // Walk the items heaviest first (best-first over subtrees, each keyed by its best
            // leaf) until the item turns up or `count` others have been passed.
            var frontier: [Int] = [1]
            var others = 0
            while let node = popBest(&frontier) {
                // Descend to this subtree's best leaf, leaving the other halves for later.
                var at = node
                while at < leaves {
                    let left = 2 * at
                    let right = left + 1
                    if best[at] == best[left] {
                        push(right, &frontier)
                        at = left
                    } else {
                        push(left, &frontier)
                        at = right
                    }
                }
                let leaf = Int32(at - leaves)
                if leaf == Int32(target) { return true }
                if weight[Int(leaf)] <= 0 { return false }
                if !excluded.contains(ids[Int(leaf)]) {
                    others += 1
                    if others == count { return false }
                }
            }
            return false
        }

        private func push(_ node: Int, _ heap: inout [Int]) {
            heap.append(node)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard ranksAbove(best[heap[i]], best[heap[parent]]) else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        }

        private func popBest(_ heap: inout [Int]) -> Int? {
            guard let top = heap.first else { return nil }
            let last = heap.removeLast()
            guard !heap.isEmpty else { return top }
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= heap.count { break }
                if child + 1 < heap.count && ranksAbove(best[heap[child + 1]], best[heap[child]]) { child += 1 }
                guard ranksAbove(best[heap[child]], best[last]) else { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = last
            return top
        }
    }
}
