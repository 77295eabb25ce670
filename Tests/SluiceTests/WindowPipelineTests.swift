import Testing
import Sluice

/// A click with an event time: the record type of the windowing and join pipeline tests.
struct Click: Sendable, Hashable {
    var user: Int
    var page: Int
    var time: Int64
}

/// Clicks in event-time order with bounded disorder (up to `disorder` ms), deterministic.
func clicks(count: Int, users: Int, disorder: Int64, seed: UInt64) -> [Click] {
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    return (0..<count).map { i in
        let jitter = Int64(next() % UInt64(disorder + 1))
        return Click(user: Int(next() % UInt64(users)), page: Int(next() % 50), time: 1_000_000 + Int64(i) * 7 - jitter)
    }
}

@Suite("Windowed pipelines")
struct WindowPipelineTests {
    static let input = clicks(count: 20_000, users: 23, disorder: 300, seed: 9)

    /// Watermarks follow each batch: small batches let the watermark pass a window before a
    /// straggler of the same input arrives.
    static func smallBatches(parallelism: Int) -> RunOptions {
        var options = RunOptions(parallelism: parallelism)
        options.batchSize = 10
        return options
    }

    @Test("tumbling counts per key equal a brute-force count, at every parallelism", arguments: [1, 2, 4])
    func tumblingCounts(parallelism: Int) throws {
        let results = CollectedRecords<WindowResult<Int, Int>>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .withEventTime(\.time, maxOutOfOrderness: .milliseconds(300))
                .keyed(by: \.user)
                .window(.tumbling(.seconds(1)))
                .aggregate(Count(), id: "clicks")
                .collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var expected: [String: Int] = [:]
        for click in Self.input {
            let start = click.time - click.time % 1000
            expected["\(click.user)@\(start)", default: 0] += 1
        }
        let actual = Dictionary(results.records.map { ("\($0.key)@\($0.window.start)", $0.value) }, uniquingKeysWith: +)
        #expect(actual == expected)
        #expect(results.records.count == expected.count)
    }

    @Test("sliding windows with panes count each record in size/slide windows", arguments: [1, 2])
    func slidingCounts(parallelism: Int) throws {
        let results = CollectedRecords<WindowResult<Int, Int>>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .withEventTime(\.time, maxOutOfOrderness: .milliseconds(300))
                .keyed(by: \.page)
                .window(.sliding(size: .seconds(2), slide: .milliseconds(500)))
                .aggregate(Count(), id: "pages")
                .collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        #expect(results.records.reduce(0) { $0 + $1.value } == Self.input.count * 4)
        var expected: [String: Int] = [:]
        for click in Self.input {
            for window in WindowAssigner.sliding(size: 2000, slide: 500).windows(containing: click.time) {
                expected["\(click.page)@\(window.start)", default: 0] += 1
            }
        }
        #expect(Dictionary(results.records.map { ("\($0.key)@\($0.window.start)", $0.value) }, uniquingKeysWith: +) == expected)
    }

    @Test("records later than the watermark go to the late output, not away")
    func lateRecordsReachTheLateOutput() throws {
        // In order, then one record 10 s behind: the watermark has long passed its window.
        var input = (0..<100).map { Click(user: 1, page: 1, time: 100_000 + Int64($0) * 1000) }
        input.append(Click(user: 1, page: 2, time: 100_000))
        let results = CollectedRecords<WindowResult<Int, Int>>()
        let late = CollectedRecords<Click>()
        try Pipeline { p in
            p.source(elements: input)
                .withEventTime(\.time)
                .keyed(by: \.user)
                .window(.tumbling(.seconds(5)))
                .aggregate(Count(), id: "w", lateRecords: { $0.collect(into: late) })
                .collect(into: results)
        }.run(Self.smallBatches(parallelism: 2))
        #expect(late.records == [Click(user: 1, page: 2, time: 100_000)])
        #expect(results.records.reduce(0) { $0 + $1.value } == 100)
    }

    @Test("without a late output, late records are counted in the run summary")
    func lateRecordsAreCounted() throws {
        var input = (0..<50).map { Click(user: 1, page: 1, time: 100_000 + Int64($0) * 1000) }
        input.append(Click(user: 1, page: 2, time: 100_000))
        let results = CollectedRecords<WindowResult<Int, Int>>()
        let summary = try Pipeline { p in
            p.source(elements: input).withEventTime(\.time).keyed(by: \.user)
                .window(.tumbling(.seconds(5))).aggregate(Count(), id: "w").collect(into: results)
        }.run(Self.smallBatches(parallelism: 1))
        #expect(summary.droppedLateRecords == 1)
    }

    @Test("the maximum per window keeps ties", arguments: [1, 2, 4])
    func maxPerWindowKeepsTies(parallelism: Int) throws {
        let results = CollectedRecords<WindowResult<Int, Int>>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .withEventTime(\.time, maxOutOfOrderness: .milliseconds(300))
                .keyed(by: \.user)
                .window(.tumbling(.seconds(1)))
                .aggregate(Count(), id: "clicks")
                .maxPerWindow(id: "top") { $0.value < $1.value }
                .collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var counts: [Int64: [Int: Int]] = [:]
        for click in Self.input { counts[click.time - click.time % 1000, default: [:]][click.user, default: 0] += 1 }
        var expected: Set<String> = []
        for (start, perUser) in counts {
            let best = perUser.values.max()!
            for (user, count) in perUser where count == best { expected.insert("\(start):\(user):\(count)") }
        }
        #expect(Set(results.records.map { "\($0.window.start):\($0.key):\($0.value)" }) == expected)
        #expect(results.records.count == expected.count)
    }

    @Test("session windows close after the gap", arguments: [1, 2])
    func sessions(parallelism: Int) throws {
        let input = [0, 1000, 2500, 9000, 9500, 20_000].map { Click(user: 7, page: 0, time: 1_000_000 + Int64($0)) }
        let results = CollectedRecords<WindowResult<Int, Int>>()
        try Pipeline { p in
            p.source(elements: input).withEventTime(\.time).keyed(by: \.user)
                .window(.session(gap: .seconds(3))).aggregate(Count(), id: "sessions").collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        let sessions = results.records.map { [$0.window.start - 1_000_000, $0.window.end - 1_000_000, Int64($0.value)] }.sorted { $0[0] < $1[0] }
        #expect(sessions == [[0, 5500, 3], [9000, 12_500, 2], [20_000, 23_000, 1]])
    }
}

@Suite("Join pipelines")
struct JoinPipelineTests {
    static let left = clicks(count: 3000, users: 40, disorder: 200, seed: 3)
    static let right = clicks(count: 3000, users: 40, disorder: 200, seed: 4)

    @Test("a window join emits exactly the pairs of a nested loop", arguments: [1, 2, 4])
    func windowJoin(parallelism: Int) throws {
        let results = CollectedRecords<String>()
        try Pipeline { p in
            let a = p.source(elements: Self.left).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            let b = p.source(elements: Self.right).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            a.keyed(by: \.user).windowJoin(b.keyed(by: \.user), window: .tumbling(.seconds(2)), id: "j") { x, y, window in
                "\(x.user) \(x.time) \(y.time) \(window.start)"
            }.collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var expected: [String] = []
        for x in Self.left {
            for y in Self.right where x.user == y.user && x.time / 2000 == y.time / 2000 {
                expected.append("\(x.user) \(x.time) \(y.time) \(x.time - x.time % 2000)")
            }
        }
        #expect(results.records.sorted() == expected.sorted())
    }

    @Test("an interval join emits the pairs within the bounds", arguments: [1, 2])
    func intervalJoin(parallelism: Int) throws {
        let results = CollectedRecords<String>()
        try Pipeline { p in
            let a = p.source(elements: Self.left).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            let b = p.source(elements: Self.right).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            a.keyed(by: \.user).intervalJoin(b.keyed(by: \.user), between: .milliseconds(-50), and: .milliseconds(100), id: "i") { x, y in
                "\(x.time) \(y.time)"
            }.collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var expected: [String] = []
        for x in Self.left {
            for y in Self.right where x.user == y.user && y.time >= x.time - 50 && y.time <= x.time + 100 {
                expected.append("\(x.time) \(y.time)")
            }
        }
        #expect(results.records.sorted() == expected.sorted())
    }

    @Test("a join whose left side is unique per key emits the pairs of a nested loop", arguments: [1, 2])
    func uniqueLeftKeys(parallelism: Int) throws {
        // One click per user on the left: the users' ids are unique there.
        let firsts = Dictionary(Self.left.map { ($0.user, $0) }, uniquingKeysWith: { first, _ in first }).values.sorted { $0.time < $1.time }
        let results = CollectedRecords<String>()
        try Pipeline { p in
            let a = p.source(elements: firsts).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            let b = p.source(elements: Self.right).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
            a.keyed(by: \.user).join(b.keyed(by: \.user), uniqueKeys: .left, id: "u") { x, y in "\(x.time) \(y.time)" }
                .collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var expected: [String] = []
        for x in firsts {
            for y in Self.right where x.user == y.user { expected.append("\(x.time) \(y.time)") }
        }
        #expect(results.records.sorted() == expected.sorted())
    }

    @Test("a second record of a key on a side declared unique stops the run with an error naming the key", arguments: [1, 2])
    func duplicateUniqueKeyStopsTheRun(parallelism: Int) throws {
        let twice = [Click(user: 7, page: 1, time: 10), Click(user: 7, page: 2, time: 20)]
        #expect(throws: DuplicateJoinKeyError(side: "left", key: "7")) {
            try Pipeline { p in
                let a = p.source(elements: twice).withEventTime(\.time)
                let b = p.source(elements: Self.right).withEventTime(\.time, maxOutOfOrderness: .milliseconds(200))
                a.keyed(by: \.user).join(b.keyed(by: \.user), uniqueKeys: .left, id: "u") { x, y in x.time + y.time }
                    .discard()
            }.run(RunOptions(parallelism: parallelism))
        }
    }

    @Test("a stream-table join sees the latest row of its key")
    func streamTableJoin() throws {
        // One side only after the table: the table is a single source whose rows all come first.
        let table = [Click(user: 1, page: 10, time: 0), Click(user: 2, page: 20, time: 0), Click(user: 1, page: 11, time: 0)]
        let stream = [Click(user: 1, page: 0, time: 0), Click(user: 3, page: 0, time: 0)]
        let results = CollectedRecords<String>()
        try Pipeline { p in
            let rows = p.source(elements: table)
            let clicks = p.source(elements: stream)
            clicks.keyed(by: \.user).joinTable(rows.keyed(by: \.user), kind: .leftOuter, id: "t") { click, row in
                "\(click.user):\(row.map { String($0.page) } ?? "none")"
            }.collect(into: results)
        }.run(RunOptions(parallelism: 1))
        // Arrival order between the two sources is not fixed, so only the shape is certain.
        #expect(results.records.count == 2)
        #expect(results.records.contains { $0.hasPrefix("3:") })
    }
}
