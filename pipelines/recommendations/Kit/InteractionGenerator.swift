import Foundation

/// A synthetic e-commerce click stream with structure a recommender can learn, for
/// `recommendations generate` and the tests.
///
/// What is planted, so that a recommender's quality can be measured against it:
/// - items fall into about `items / 100` categories (at least 4), and within a category into
///   affinity groups of 5–10 items that are browsed together;
/// - within a category, item popularity follows Zipf's law (weight 1 / rank);
/// - each user has 1–3 favourite categories;
/// - users browse in sessions: a session mostly keeps to one of the user's favourite categories
///   and one affinity group in it, views several of the group's items with a little noise, and
///   some viewed items go on to be carted (25 %) and carted ones bought (35 %) later in the session.
///
/// Events of a session are 2–30 s apart and a user's sessions at least 35 min apart. Sessions of
/// different users interleave; the stream is in event-time order except that some events arrive
/// up to 2 s late (so no event is written 2 s or more behind the largest timestamp before it).
/// A user's own events always stay in order, because they are further apart than that.
///
/// Users are numbered `1...users`, items `1...items`, categories `1...categories`. The same
/// parameters and seed give the same stream, byte for byte, whatever the event count: a shorter
/// stream is a prefix of a longer one.
public struct InteractionGenerator: Sendable {
    /// The event time of the start of every generated stream (2023-11-14 22:13:20 UTC).
    public static let epoch: Int64 = 1_700_000_000_000

    /// How many users the stream has.
    public let users: Int
    /// How many items the catalog has.
    public let items: Int
    /// The seed all randomness comes from.
    public let seed: UInt64
    /// How many categories the items fall into.
    public let categories: Int

    /// The knobs of the planted structure, kept together so they are easy to tune and to cite.
    enum Shape {
        /// Zipf exponent of item popularity within a category.
        static let zipfExponent = 1.0
        /// Zipf exponent of category popularity: milder, so every category gets traffic.
        static let categoryZipfExponent = 0.5
        /// Sizes of affinity groups.
        static let groupSizes = 5...10
        /// How likely a user's favourite categories are to be chosen, in order; a user with fewer
        /// favourites uses the first weights only.
        static let tasteWeights = [0.6, 0.28, 0.12]
        /// Chance that a session browses one of the user's favourite categories rather than any.
        static let tasteLoyalty = 0.85
        /// Views in a session.
        static let viewsPerSession = 3...9
        /// Chance, per view after the first, of moving to another group of the same category.
        static let groupDrift = 0.08
        /// Chance that a view is a popular item of the session's category outside its group.
        static let categoryNoise = 0.06
        /// Chance that a view is a popular item of any category.
        static let globalNoise = 0.06
        /// How many times to redraw a group item the session has already viewed: people mostly
        /// look at something new, but re-views happen.
        static let revisitRedraws = 3
        /// Chance that a viewed item is carted, and that a carted one is bought.
        static let cartRate = 0.25
        static let purchaseRate = 0.35
        /// How far (in views) after its view a cart comes, and after its cart a purchase.
        static let funnelDelay = 0.5..<3.0
        /// Time between a session's events, in milliseconds: above the 2 s jitter, so that a
        /// user's own events never swap.
        static let eventGap = 2_000...30_000
        /// The least time between a user's sessions: well over the 30 min a pipeline would
        /// use as its session gap.
        static let minSessionGap: Int64 = 35 * 60_000
        /// The mean extra time between a user's sessions, for a user of activity 1.
        static let meanIdle = 3.0 * 3_600_000
        /// Pareto shape of user activity: a few users are much more active than most.
        static let activityShape = 2.5
        static let maxActivity = 10.0
        /// Share of events that arrive late, and by how much at most (exclusive), in ms.
        static let lateShare = 0.2
        static let maxLateness = 2_000
    }

    // The catalog, laid out flat: category c (0-based) owns `categoryItems[categoryStart[c] ..<
    // categoryStart[c + 1]]` with cumulative Zipf weights alongside, and groups
    // `categoryGroupStart[c] ..< categoryGroupStart[c + 1]`; group g owns
    // `groupItems[groupStart[g] ..< groupStart[g + 1]]`, again with cumulative weights.
    private let categoryOfItem: [Int32]
    private let groupOfItem: [Int32]
    private let categoryCumulative: [Double]
    private let categoryStart: [Int]
    private let categoryItems: [Int32]
    private let categoryItemCumulative: [Double]
    private let categoryGroupStart: [Int]
    private let groupCumulative: [Double]
    private let groupStart: [Int]
    private let groupItems: [Int32]
    private let groupItemCumulative: [Double]
    // Users (0-based): up to three favourite categories each, and the mean idle time between
    // their sessions.
    private let userTastes: [Int32]
    private let userTasteCount: [UInt8]
    private let userMeanIdle: [Double]

    /// A generator for `users` users and `items` items (both at least 1), fixed by `seed`.
    public init(users: Int, items: Int, seed: UInt64 = 1) {
        precondition(users >= 1 && items >= 1, "a stream needs at least one user and one item")
        self.users = users
        self.items = items
        self.seed = seed
        // Its own stream, apart from the sessions' (seeded with `seed` itself), so that the
        // catalog's draws and the sessions' are not the same numbers.
        var rng = SplitMix64(seed: seed ^ 0x5EED_CA7A_1065_0001)
        let categories = min(items, max(4, items / 100))
        self.categories = categories

        var order = (1...items).map { Int32($0) }
        Self.shuffle(&order, &rng)
        var categoryOfItem = [Int32](repeating: 0, count: items)
        var groupOfItem = [Int32](repeating: 0, count: items)
        var categoryStart = [0]
        var categoryItems: [Int32] = []
        var categoryItemCumulative: [Double] = []
        var categoryGroupStart = [0]
        var groupCumulative: [Double] = []
        var groupStart = [0]
        var groupItems: [Int32] = []
        var groupItemCumulative: [Double] = []
        var weight = [Double](repeating: 0, count: items + 1)
        for c in 0..<categories {
            let members = Array(order[c * items / categories ..< (c + 1) * items / categories])
            // Popularity rank is drawn apart from group membership, so every group has a mix of
            // hits and long tail.
            var ranked = members
            Self.shuffle(&ranked, &rng)
            var total = 0.0
            for (rank, item) in ranked.enumerated() {
                weight[Int(item)] = 1 / pow(Double(rank + 1), Shape.zipfExponent)
                total += weight[Int(item)]
                categoryItems.append(item)
                categoryItemCumulative.append(total)
                categoryOfItem[Int(item) - 1] = Int32(c + 1)
            }
            categoryStart.append(categoryItems.count)

            var groupTotal = 0.0
            var next = 0
            while next < members.count {
                let remaining = members.count - next
                var size = rng.within(Shape.groupSizes)
                // Never leave a remainder too small to be a group (unless the category is).
                if remaining <= Shape.groupSizes.upperBound {
                    size = remaining
                } else if remaining - size < Shape.groupSizes.lowerBound {
                    size = remaining - Shape.groupSizes.lowerBound
                }
                var itemTotal = 0.0
                for item in members[next ..< next + size] {
                    itemTotal += weight[Int(item)]
                    groupItems.append(item)
                    groupItemCumulative.append(itemTotal)
                    groupOfItem[Int(item) - 1] = Int32(groupStart.count)
                }
                groupStart.append(groupItems.count)
                groupTotal += itemTotal
                groupCumulative.append(groupTotal)
                next += size
            }
            categoryGroupStart.append(groupCumulative.count)
        }
        // Categories are popular in a random order, not by number.
        var categoryRank = Array(0..<categories)
        Self.shuffle(&categoryRank, &rng)
        var categoryWeight = [Double](repeating: 0, count: categories)
        for (rank, c) in categoryRank.enumerated() {
            categoryWeight[c] = 1 / pow(Double(rank + 1), Shape.categoryZipfExponent)
        }
        var categoryCumulative: [Double] = []
        var categoryTotal = 0.0
        for w in categoryWeight {
            categoryTotal += w
            categoryCumulative.append(categoryTotal)
        }

        var userTastes = [Int32](repeating: 0, count: users * 3)
        var userTasteCount = [UInt8](repeating: 0, count: users)
        var userMeanIdle = [Double](repeating: 0, count: users)
        for u in 0..<users {
            let wanted = min(categories, rng.within(1...3))
            var count = 0
            while count < wanted {
                let c = Int32(Self.pick(categoryCumulative, 0, categories, &rng))
                if !userTastes[u * 3 ..< u * 3 + count].contains(c) {
                    userTastes[u * 3 + count] = c
                    count += 1
                }
            }
            userTasteCount[u] = UInt8(count)
            let activity = min(Shape.maxActivity, pow(1 - rng.unit(), -1 / Shape.activityShape))
            userMeanIdle[u] = Shape.meanIdle / activity
        }

        self.categoryOfItem = categoryOfItem
        self.groupOfItem = groupOfItem
        self.categoryCumulative = categoryCumulative
        self.categoryStart = categoryStart
        self.categoryItems = categoryItems
        self.categoryItemCumulative = categoryItemCumulative
        self.categoryGroupStart = categoryGroupStart
        self.groupCumulative = groupCumulative
        self.groupStart = groupStart
        self.groupItems = groupItems
        self.groupItemCumulative = groupItemCumulative
        self.userTastes = userTastes
        self.userTasteCount = userTasteCount
        self.userMeanIdle = userMeanIdle
    }

    /// The category (`1...categories`) of `item` (`1...items`).
    public func category(ofItem item: Int) -> Int {
        precondition((1...items).contains(item), "item \(item) is not in 1...\(items)")
        return Int(categoryOfItem[item - 1])
    }

    /// The planted affinity group of `item`, numbered across all categories from 1: for checks
    /// that a recommender recovered the structure; the pipeline must not use it.
    public func affinityGroup(ofItem item: Int) -> Int {
        precondition((1...items).contains(item), "item \(item) is not in 1...\(items)")
        return Int(groupOfItem[item - 1])
    }

    /// Every item with its category, in item order.
    public func catalog() -> [CatalogEntry] {
        (1...items).map { CatalogEntry(item: $0, category: Int(categoryOfItem[$0 - 1])) }
    }

    /// The first `count` events of the stream, in the order `write` puts them in the file: for
    /// tests and offline checks; `write` streams without holding the events.
    public func interactions(count: Int) -> [Interaction] {
        var result: [Interaction] = []
        result.reserveCapacity(count)
        run(count: count) { user, item, kind, ts in
            result.append(Interaction(user: user, item: item, type: Self.kinds[Int(kind)], ts: ts))
        }
        return result
    }

    /// Writes the first `events` events to `path` as JSON lines, and, with `catalogPath`, every
    /// item with its category to that file.
    public func write(events: Int, to path: String, catalogPath: String? = nil) throws {
        // JSON built by hand: an encoder per line would make ten million events take minutes.
        var out = try LineWriter(path: path)
        let kindTails = Self.kinds.map { Array(#","type":"\#($0.rawValue)","ts":"#.utf8) }
        run(count: events) { user, item, kind, ts in
            out.append(#"{"user":"#)
            out.append(Int64(user))
            out.append(#","item":"#)
            out.append(Int64(item))
            out.append(kindTails[Int(kind)])
            out.append(ts)
            out.append("}\n")
            out.flushIfFull()
        }
        try out.close()

        guard let catalogPath else { return }
        var catalog = try LineWriter(path: catalogPath)
        for item in 1...items {
            catalog.append(#"{"item":"#)
            catalog.append(Int64(item))
            catalog.append(#","category":"#)
            catalog.append(Int64(categoryOfItem[item - 1]))
            catalog.append("}\n")
            catalog.flushIfFull()
        }
        try catalog.close()
    }

    // MARK: - The simulation

    private static let kinds: [InteractionKind] = [.view, .cart, .purchase]

    /// A user's session in progress: its events in order, and how many have happened.
    private struct Session {
        var items: [Int32] = []
        var kinds: [UInt8] = []
        var next = 0
    }

    /// Runs the simulation until `count` events have come out, handing each to `emit` in file
    /// order as (user, item, kind index into `kinds`, ts).
    private func run(count: Int, _ emit: (Int, Int, UInt8, Int64) -> Void) {
        guard count > 0 else { return }
        var rng = SplitMix64(seed: seed)
        // Every user is always in the heap, keyed by the time of their next event: the next
        // event of their session, or the start of their next one.
        var clock = UserClock(count: users) { u in
            let cycle = Double(Shape.minSessionGap) + userMeanIdle[u]
            return Self.epoch + Int64(rng.unit() * cycle)
        }
        var sessions: [Session] = []
        var freeSessions: [Int32] = []
        var arrivals = ArrivalQueue()
        var scratch = SessionScratch()
        var emitted = 0
        var sequence: Int64 = 0

        while emitted < count {
            let next = clock.first
            let ts = next.time
            let u = Int(next.user)
            var slot = Int(next.slot)
            if slot < 0 {
                if let free = freeSessions.popLast() {
                    slot = Int(free)
                } else {
                    slot = sessions.count
                    sessions.append(Session())
                }
                fillSession(&sessions[slot], user: u, &scratch, &rng)
            }
            let step = sessions[slot].next
            let item = sessions[slot].items[step]
            let kind = sessions[slot].kinds[step]
            sessions[slot].next += 1
            if sessions[slot].next == sessions[slot].items.count {
                freeSessions.append(Int32(slot))
                let idle = -log(1 - rng.unit()) * userMeanIdle[u]
                clock.replaceFirst(at: ts + Shape.minSessionGap + Int64(idle), slot: -1)
            } else {
                clock.replaceFirst(at: ts + Int64(rng.within(Shape.eventGap)), slot: Int32(slot))
            }

            // Every later event has ts ≥ this one's, so whatever arrived by now can be written.
            while emitted < count, let waiting = arrivals.first, waiting.arrival <= ts {
                arrivals.removeFirst()
                emit(Int(waiting.user), Int(waiting.item), waiting.kind, waiting.ts)
                emitted += 1
            }
            let late = rng.chance(Shape.lateShare) ? Int64(rng.below(Shape.maxLateness)) : 0
            if late == 0 && arrivals.isEmpty {
                if emitted < count {
                    emit(u + 1, Int(item), kind, ts)
                    emitted += 1
                }
            } else {
                arrivals.insert(.init(arrival: ts + late, sequence: sequence, ts: ts,
                                      user: Int32(u + 1), item: item, kind: kind))
            }
            sequence += 1
        }
    }

    /// Working arrays for planning a session, kept between sessions to spare the allocations.
    private struct SessionScratch {
        var views: [Int32] = []
        var planned: [(order: Double, item: Int32, kind: UInt8)] = []
    }

    /// Plans one session of user `u` (0-based) into `session`.
    private func fillSession(_ session: inout Session, user u: Int, _ scratch: inout SessionScratch,
                             _ rng: inout SplitMix64) {
        let category: Int
        let tastes = Int(userTasteCount[u])
        if rng.chance(Shape.tasteLoyalty) {
            var total = 0.0
            for t in 0..<tastes { total += Shape.tasteWeights[t] }
            var x = rng.unit() * total
            var t = 0
            while t < tastes - 1 && x >= Shape.tasteWeights[t] {
                x -= Shape.tasteWeights[t]
                t += 1
            }
            category = Int(userTastes[u * 3 + t])
        } else {
            category = Self.pick(categoryCumulative, 0, categories, &rng)
        }
        let groups = categoryGroupStart[category] ..< categoryGroupStart[category + 1]
        var group = Self.pick(groupCumulative, groups.lowerBound, groups.upperBound, &rng)

        // Taken out of the scratch (not copied), so the buffer stays uniquely referenced and
        // clearing it keeps its storage.
        var views = scratch.views
        scratch.views = []
        views.removeAll(keepingCapacity: true)
        defer { scratch.views = views }
        let viewCount = rng.within(Shape.viewsPerSession)
        for v in 0..<viewCount {
            if v > 0 && rng.chance(Shape.groupDrift) {
                group = Self.pick(groupCumulative, groups.lowerBound, groups.upperBound, &rng)
            }
            let noise = rng.unit()
            var item: Int32
            if noise < Shape.categoryNoise {
                item = popularItem(of: category, &rng)
            } else if noise < Shape.categoryNoise + Shape.globalNoise {
                item = popularItem(of: Self.pick(categoryCumulative, 0, categories, &rng), &rng)
            } else {
                item = groupItems[Self.pick(groupItemCumulative, groupStart[group], groupStart[group + 1], &rng)]
                var redraws = 0
                while redraws < Shape.revisitRedraws && views.contains(item) {
                    item = groupItems[Self.pick(groupItemCumulative, groupStart[group], groupStart[group + 1], &rng)]
                    redraws += 1
                }
            }
            views.append(item)
        }

        // Place carts and purchases a little after what led to them, then read off the order.
        var planned = scratch.planned
        scratch.planned = []
        planned.removeAll(keepingCapacity: true)
        defer { scratch.planned = planned }
        for (v, item) in views.enumerated() {
            planned.append((Double(v), item, 0))
            // Only an item's first view may lead to a cart, so an item is carted once a session.
            guard views.firstIndex(of: item) == v, rng.chance(Shape.cartRate) else { continue }
            let cart = Double(v) + Shape.funnelDelay.lowerBound
                + rng.unit() * (Shape.funnelDelay.upperBound - Shape.funnelDelay.lowerBound)
            planned.append((cart, item, 1))
            if rng.chance(Shape.purchaseRate) {
                let purchase = cart + Shape.funnelDelay.lowerBound
                    + rng.unit() * (Shape.funnelDelay.upperBound - Shape.funnelDelay.lowerBound)
                planned.append((purchase, item, 2))
            }
        }
        // Insertion sort: a dozen entries, nearly in order already.
        for i in planned.indices.dropFirst() {
            let entry = planned[i]
            var j = i
            while j > 0 && planned[j - 1].order > entry.order {
                planned[j] = planned[j - 1]
                j -= 1
            }
            planned[j] = entry
        }
        session.items.removeAll(keepingCapacity: true)
        session.kinds.removeAll(keepingCapacity: true)
        for step in planned {
            session.items.append(step.item)
            session.kinds.append(step.kind)
        }
        session.next = 0
    }

    /// An item of category `c` (0-based), drawn by popularity.
    private func popularItem(of c: Int, _ rng: inout SplitMix64) -> Int32 {
        categoryItems[Self.pick(categoryItemCumulative, categoryStart[c], categoryStart[c + 1], &rng)]
    }

    /// An index in `start..<end`, drawn in proportion to the weights whose running totals
    /// (starting afresh at `start`) `cumulative` holds.
    private static func pick(_ cumulative: [Double], _ start: Int, _ end: Int, _ rng: inout SplitMix64) -> Int {
        let x = rng.unit() * cumulative[end - 1]
        var low = start
        var high = end - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > x { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Fisher–Yates with the seeded generator.
    private static func shuffle<T>(_ values: inout [T], _ rng: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, rng.below(i + 1))
        }
    }
}

// Helpers nested in the type, so their names cannot clash with the rest of the module.
extension InteractionGenerator {
    /// The users ordered by the time of their next event: a min-heap in which every user always
    /// sits, so only the first entry ever moves. Each entry carries the user's session slot, and
    /// the heap has four children a node, because with a million users the time goes in cache
    /// misses, and this way each event touches fewer, denser lines.
    fileprivate struct UserClock {
        struct Entry {
            var time: Int64
            var user: Int32
            /// The user's session in progress, or -1 between sessions.
            var slot: Int32
        }

        private var heap: [Entry]

        init(count: Int, start: (Int) -> Int64) {
            // A sorted array is already a heap.
            heap = (0..<count).map { Entry(time: start($0), user: Int32($0), slot: -1) }
                .sorted { ($0.time, $0.user) < ($1.time, $1.user) }
        }

        /// The user with the earliest next event.
        var first: Entry { heap[0] }

        /// Moves the first user's next event to `time`, in session `slot`.
        mutating func replaceFirst(at time: Int64, slot: Int32) {
            let moved = Entry(time: time, user: heap[0].user, slot: slot)
            let count = heap.count
            var i = 0
            while true {
                let firstChild = 4 * i + 1
                if firstChild >= count { break }
                var child = firstChild
                for other in firstChild + 1 ..< min(firstChild + 4, count) where heap[other].time < heap[child].time {
                    child = other
                }
                if heap[child].time >= time { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = moved
        }
    }

    /// Late events waiting to be written, in arrival order (ties in the order they happened).
    fileprivate struct ArrivalQueue {
        struct Event {
            var arrival: Int64
            var sequence: Int64
            var ts: Int64
            var user: Int32
            var item: Int32
            var kind: UInt8

            func precedes(_ other: Event) -> Bool {
                (arrival, sequence) < (other.arrival, other.sequence)
            }
        }

        private var heap: [Event] = []

        var isEmpty: Bool { heap.isEmpty }
        var first: Event? { heap.first }

        mutating func insert(_ event: Event) {
            heap.append(event)
            var i = heap.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard heap[i].precedes(heap[parent]) else { break }
                heap.swapAt(i, parent)
                i = parent
            }
        }

        mutating func removeFirst() {
            let last = heap.removeLast()
            guard !heap.isEmpty else { return }
            var i = 0
            while true {
                var child = 2 * i + 1
                if child >= heap.count { break }
                if child + 1 < heap.count && heap[child + 1].precedes(heap[child]) { child += 1 }
                guard heap[child].precedes(last) else { break }
                heap[i] = heap[child]
                i = child
            }
            heap[i] = last
        }
    }

    /// Buffers bytes and writes them to a file a megabyte at a time.
    ///
    /// A struct kept in a local variable, not a class: the compiler then proves exclusive access
    /// to the buffer statically, where a class's property would be checked on every byte.
    fileprivate struct LineWriter {
        private let handle: FileHandle
        private var buffer: [UInt8] = []
        private static let chunk = 1 << 20

        init(path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            buffer.reserveCapacity(Self.chunk + 256)
        }

        mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { buffer.append(contentsOf: $0) }
        }

        mutating func append(_ bytes: [UInt8]) {
            buffer.append(contentsOf: bytes)
        }

        mutating func append(_ value: Int64) {
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            var rest = value.magnitude
            let start = buffer.count
            repeat {
                buffer.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            // Digits came out last first; swapping in place spares the slice copy of `reverse()`.
            var low = start
            var high = buffer.count - 1
            while low < high {
                buffer.swapAt(low, high)
                low += 1
                high -= 1
            }
        }

        mutating func flushIfFull() {
            if buffer.count >= Self.chunk { flush() }
        }

        // A failed write is reported by `close`: FileHandle's write throws only for some errors, and
        // one report at the end is enough for a generator.
        private var failure: Error?

        private mutating func flush() {
            guard failure == nil, !buffer.isEmpty else { return }
            do { try handle.write(contentsOf: buffer) } catch { failure = error }
            buffer.removeAll(keepingCapacity: true)
        }

        mutating func close() throws {
            flush()
            try handle.close()
            if let failure { throw failure }
        }
    }
}
