import Testing
import SluiceCore
@testable import SluiceOperators

/// The pieces of join state under the interval and unbounded joins, each against a plain
/// reference: a time buffer whose out-of-order rows wait in a tail, the four-ary timer queue, and
/// the timer entries of a key whose short-lived rows come and go under a long-lived one.
@Suite struct JoinStateTests {
    /// Rows as a stable sort by time of everything inserted and not dropped: the reference.
    struct ReferenceRows {
        var rows: [(name: Int, time: EventTime)] = []
        mutating func insert(_ name: Int, time: EventTime) { rows.append((name, time)) }
        var sorted: [(name: Int, time: EventTime)] {
            // Insertion order breaks ties: equal times keep arrival order.
            rows.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        }
        mutating func removeAll(before cutoff: EventTime) -> Int {
            let before = rows.count
            rows.removeAll { $0.time < cutoff }
            return before - rows.count
        }
    }

    static func names(_ buffer: JoinTimeBuffer<Int>, from lower: EventTime, through upper: EventTime) -> [Int] {
        var names: [Int] = []
        buffer.forEach(from: lower, through: upper) { name, _ in names.append(name) }
        return names
    }

    @Test("a time buffer with rows out of order reads and drops as a sorted list does", arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func timeBufferMatchesSortedRows(seed: UInt64) {
        var random = JoinTestRandom(seed: seed)
        var buffer = JoinTimeBuffer<Int>()
        var reference = ReferenceRows()
        var clock: EventTime = 0, cutoff: EventTime = -1_000
        var tails = 0
        for name in 0..<3_000 {
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<6:
                // Two interleaved runs, as the batches of two source instances, and equal times.
                clock += Int64.random(in: 0...2, using: &random)
                let time = Swift.max(cutoff, clock - Int64.random(in: 0...15, using: &random))
                buffer.insert(name, time: time)
                reference.insert(name, time: time)
                if !buffer.isSettled { tails += 1 }
            case 6:
                cutoff = Swift.max(cutoff, clock - Int64.random(in: 5...30, using: &random))
                #expect(buffer.removeAll(before: cutoff) == reference.removeAll(before: cutoff))
            case 7:
                // A reader that cannot mutate: the buffer stays as it is.
                let lower = clock - Int64.random(in: 0...40, using: &random), upper = lower + Int64.random(in: 0...20, using: &random)
                let settled = buffer.isSettled
                #expect(Self.names(buffer, from: lower, through: upper)
                        == reference.sorted.filter { lower <= $0.time && $0.time <= upper }.map(\.name))
                #expect(buffer.isSettled == settled)
            case 8:
                buffer.settle()
                #expect(buffer.isSettled)
            default:
                var all: [(Int, EventTime)] = []
                buffer.forEach { all.append(($0, $1)) }
                #expect(all.map(\.0) == reference.sorted.map(\.name))
            }
            #expect(buffer.count == reference.rows.count)
            #expect(buffer.earliest == reference.rows.map(\.time).min())
        }
        #expect(tails > 300, "the scenario must keep rows waiting in the tail")
        buffer.settle()
        #expect(Self.names(buffer, from: .min, through: .max) == reference.sorted.map(\.name))
    }

    @Test("the timer queue pops entries in time order", arguments: [UInt64(1), 2, 3])
    func timerQueuePopsInOrder(seed: UInt64) {
        var random = JoinTestRandom(seed: seed)
        var queue = JoinTimerQueue<Int>()
        var pending: [(time: EventTime, key: Int)] = []
        var watermark: EventTime = 0
        for key in 0..<5_000 {
            if Int.random(in: 0..<3, using: &random) > 0 {
                let time = watermark + Int64.random(in: 0...500, using: &random)
                queue.push(time, key)
                pending.append((time, key))
            } else {
                watermark += Int64.random(in: 0...60, using: &random)
                var popped: [(time: EventTime, key: Int)] = []
                while let entry = queue.popDue(at: watermark) {
                    #expect(popped.last.map { $0.time <= entry.time } ?? true)
                    popped.append(entry)
                }
                let due = pending.filter { $0.time <= watermark }
                pending.removeAll { $0.time <= watermark }
                #expect(popped.map(\.key).sorted() == due.map(\.key).sorted())
            }
            #expect(queue.count == pending.count)
        }
    }

    @Test("a key whose short-lived rows come and go keeps at most two timer entries")
    func burstsDoNotPileUpTimerEntries() throws {
        // q4's shape: an auction kept for a minute, its bids only until the watermark passes them.
        var table = JoinRowTable<Int, Int, Int>(leftRetention: 60_000, rightRetention: 0)
        try table.addLeft(0, key: 7, time: 1_000, watermark: .noTime, partnersFrom: 1_000, through: 61_000) { _, _ in }
        var time: EventTime = 1_000
        for burst in 0..<500 {
            for bid in 0..<3 {
                time += 1
                try table.addRight(burst * 3 + bid, key: 7, time: time, watermark: time - 2,
                               partnersFrom: time - 60_000, through: time) { _, _ in }
            }
            // Every bid of the burst is dropped: the key is due next when its auction is.
            table.expire(at: time + 1)
            #expect(table.count == 1, "only the auction is left")
            #expect(table.timers.count <= 2)
        }
        table.expire(at: 61_001)
        #expect(table.count == 0)
        #expect(table.timers.count == 0)
    }
}
