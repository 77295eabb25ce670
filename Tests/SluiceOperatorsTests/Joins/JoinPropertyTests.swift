import Testing
import SluiceCore
import SluiceOperators

/// Random interleavings of both sides, compared with brute-force nested-loop references.
///
/// Every reference looks at all records at once (or replays them in arrival order with the
/// watermark each saw, when stragglers make the result depend on it) and shares no code with
/// the operators: no buffers, no timers, no binary search.
@Suite("Join properties")
struct JoinPropertyTests {
    typealias Records = [(row: JoinRow, isLeft: Bool, time: EventTime, watermark: EventTime)]

    static let seeds: [UInt64] = Array(1...12)

    /// A random scenario; stragglers (records behind the watermark) in one case out of three.
    static func scenario(_ seed: UInt64, stragglers: Bool) -> JoinScenario {
        var random = JoinTestRandom(seed: seed &* 7919)
        return JoinScenario(seed: seed,
                            records: Int.random(in: 50...300, using: &random),
                            keys: Int.random(in: 1...6, using: &random),
                            maxStep: Int64.random(in: 1...6, using: &random),
                            outOfOrderness: Int64.random(in: 0...20, using: &random),
                            stragglerPercent: stragglers ? 15 : 0,
                            startTime: Int64.random(in: -50...50, using: &random))
    }

    /// Every (left, right) of the same key for which `matches` holds, as timed pairs.
    static func nestedLoop(_ records: Records, time: (EventTime, EventTime) -> EventTime,
                           _ matches: (EventTime, EventTime) -> Bool) -> [JoinTimed<JoinPair>] {
        var pairs: [JoinTimed<JoinPair>] = []
        for l in records where l.isLeft {
            for r in records where !r.isLeft && r.row.key == l.row.key && matches(l.time, r.time) {
                pairs.append(JoinTimed(value: JoinPair(left: l.row.name, right: r.row.name), time: time(l.time, r.time)))
            }
        }
        return pairs.sorted()
    }

    /// Whether `sub` is a sub-multiset of `sup` (both sorted).
    static func isSubmultiset<T: Comparable>(_ sub: [T], of sup: [T]) -> Bool {
        var i = 0
        for element in sup where i < sub.count && sub[i] == element { i += 1 }
        return i == sub.count
    }

    @Test("the random scenarios exercise pairs, stragglers and late records")
    func scenariosCoverLateness() throws {
        var behind = 0, windowLate = 0, intervalLate = 0, pairs = 0
        for seed in Self.seeds {
            let scenario = Self.scenario(seed, stragglers: true)
            behind += scenario.records.filter { $0.time <= $0.watermark }.count
            var window = WindowJoinOperator<Int, JoinRow, JoinRow, JoinPair>(
                window: .tumbling(size: 10), leftKey: \.key, rightKey: \.key, join: pairNames)
            pairs += try scenario.run(&window).count
            windowLate += window.lateRecords
            var interval = IntervalJoinOperator<Int, JoinRow, JoinRow, JoinPair>(
                lowerBound: -5, upperBound: 5, leftKey: \.key, rightKey: \.key, join: pairNames)
            _ = try scenario.run(&interval)
            intervalLate += interval.lateRecords
        }
        #expect(behind > 100)
        #expect(windowLate > 50)
        #expect(intervalLate > 50)
        #expect(pairs > 1000)
    }

    // MARK: Window join

    struct WindowCase: Sendable, CustomStringConvertible {
        var assigner: WindowAssigner
        var stragglers: Bool
        var description: String { "\(assigner)\(stragglers ? " with stragglers" : "")" }
    }

    static let windowCases: [WindowCase] = [
        WindowCase(assigner: .tumbling(size: 10), stragglers: false),
        WindowCase(assigner: .tumbling(size: 7), stragglers: true),
        WindowCase(assigner: .sliding(size: 12, slide: 4), stragglers: false),
        WindowCase(assigner: .sliding(size: 10, slide: 4), stragglers: true),
        WindowCase(assigner: .sliding(size: 5, slide: 5), stragglers: true),
    ]

    @Test("window join equals the pairs of each window", arguments: seeds, windowCases)
    func windowJoin(seed: UInt64, testCase: WindowCase) throws {
        let scenario = Self.scenario(seed, stragglers: testCase.stragglers)
        let records = scenario.records
        // Reference: a record takes part in each of its windows that had not fired when it
        // arrived (all of them, for a record that respects the watermark).
        var members: [Window: [(row: JoinRow, isLeft: Bool)]] = [:]
        var late: [String] = []
        var stateOpen: [(arrival: Int, window: Window)] = []
        for (arrival, record) in records.enumerated() {
            let open = testCase.assigner.windows(containing: record.time).filter { $0.maxTimestamp > record.watermark }
            if open.isEmpty { late.append(record.row.name) }
            for window in open {
                members[window, default: []].append((record.row, record.isLeft))
                stateOpen.append((arrival, window))
            }
        }
        var expected: [JoinTimed<JoinPair>] = []
        for (window, rows) in members {
            for l in rows where l.isLeft {
                for r in rows where !r.isLeft && r.row.key == l.row.key {
                    expected.append(JoinTimed(value: JoinPair(left: l.row.name, right: r.row.name), time: window.maxTimestamp))
                }
            }
        }
        if !testCase.stragglers {
            // Without stragglers the result is the pure definition: every pair sharing a window.
            #expect(late.isEmpty)
            for window in members.keys {
                #expect(members[window]!.count == records.filter { window.contains($0.time) }.count)
            }
        }

        var op = WindowJoinOperator<Int, JoinRow, JoinRow, JoinPair>(
            window: testCase.assigner, leftKey: \.key, rightKey: \.key, join: pairNames)
        var stateSizes: [(EventTime, Int)] = []
        let output = try scenario.run(&op) { watermark, op in stateSizes.append((watermark, op.stateSize)) }
        let (joined, lateNames) = splitJoinOutput(output)
        #expect(joined == expected.sorted())
        #expect(lateNames == late.sorted())
        #expect(op.lateRecords == late.count)
        #expect(op.stateSize == 0)
        // After each watermark the state is exactly the (record, window) pairs still open.
        let arrivalsBefore = Self.arrivalsBeforeEachWatermark(scenario)
        for ((watermark, size), arrived) in zip(stateSizes, arrivalsBefore) {
            #expect(size == stateOpen.filter { $0.arrival < arrived && $0.window.maxTimestamp > watermark }.count)
        }
    }

    /// For each watermark of the scenario, how many records arrived before it.
    static func arrivalsBeforeEachWatermark(_ scenario: JoinScenario) -> [Int] {
        var arrived = 0
        var counts: [Int] = []
        for step in scenario.steps {
            switch step.event {
            case .left, .right: arrived += 1
            case .watermark: counts.append(arrived)
            case .end: break
            }
        }
        return counts
    }

    // MARK: Interval join

    struct IntervalCase: Sendable, CustomStringConvertible {
        var lower: Int64
        var upper: Int64
        var stragglers: Bool
        var description: String { "[\(lower), \(upper)]\(stragglers ? " with stragglers" : "")" }
    }

    static let intervalCases: [IntervalCase] = [
        IntervalCase(lower: -5, upper: 5, stragglers: false),
        IntervalCase(lower: 0, upper: 10, stragglers: false),
        IntervalCase(lower: -8, upper: -2, stragglers: false),
        IntervalCase(lower: 0, upper: 0, stragglers: false),
        IntervalCase(lower: -5, upper: 5, stragglers: true),
        IntervalCase(lower: 2, upper: 9, stragglers: true),
        IntervalCase(lower: -9, upper: -3, stragglers: true),
    ]

    @Test("interval join equals the pairs satisfying the interval condition", arguments: seeds, intervalCases)
    func intervalJoin(seed: UInt64, testCase: IntervalCase) throws {
        let scenario = Self.scenario(seed, stragglers: testCase.stragglers)
        let records = scenario.records
        let lower = testCase.lower, upper = testCase.upper
        let matches = { (l: EventTime, r: EventTime) in l + lower <= r && r <= l + upper }
        let pure = Self.nestedLoop(records, time: max, matches)

        // Replay: the second record of a pair finds the first if the first was kept and not yet
        // dropped; a record is late when no partner can be kept any more (see the operator docs).
        func keepUntil(_ r: (row: JoinRow, isLeft: Bool, time: EventTime, watermark: EventTime)) -> EventTime {
            r.isLeft ? r.time + upper : r.time - lower
        }
        func isLate(_ r: (row: JoinRow, isLeft: Bool, time: EventTime, watermark: EventTime)) -> Bool {
            r.watermark > (r.isLeft ? r.time + upper + max(0, -lower) : r.time - lower + max(0, upper))
        }
        var expected: [JoinTimed<JoinPair>] = []
        for (j, second) in records.enumerated() where !isLate(second) {
            for first in records[..<j] where first.isLeft != second.isLeft && first.row.key == second.row.key
                && !isLate(first) && first.watermark <= keepUntil(first) && second.watermark <= keepUntil(first) {
                let (l, r) = first.isLeft ? (first, second) : (second, first)
                if matches(l.time, r.time) {
                    expected.append(JoinTimed(value: JoinPair(left: l.row.name, right: r.row.name), time: max(l.time, r.time)))
                }
            }
        }
        let late = records.filter(isLate).map(\.row.name)

        var op = IntervalJoinOperator<Int, JoinRow, JoinRow, JoinPair>(
            lowerBound: lower, upperBound: upper, leftKey: \.key, rightKey: \.key, join: pairNames)
        var stateSizes: [(EventTime, Int)] = []
        let output = try scenario.run(&op) { watermark, op in stateSizes.append((watermark, op.stateSize)) }
        let (joined, lateNames) = splitJoinOutput(output)
        #expect(joined == expected.sorted())
        #expect(lateNames == late.sorted())
        #expect(op.lateRecords == late.count)
        if testCase.stragglers {
            // Stragglers never cost the pairs of records that respect the watermark.
            let onTime = records.filter { $0.time > $0.watermark }
            #expect(Self.isSubmultiset(Self.nestedLoop(onTime, time: max, matches), of: joined))
        } else {
            #expect(joined == pure)
            #expect(late.isEmpty)
        }
        // After each watermark the state is exactly the kept rows whose retention has not passed.
        let arrivalsBefore = Self.arrivalsBeforeEachWatermark(scenario)
        for ((watermark, size), arrived) in zip(stateSizes, arrivalsBefore) {
            let kept = records[..<arrived].filter {
                !isLate($0) && $0.watermark <= keepUntil($0) && watermark <= keepUntil($0)
            }
            #expect(size == kept.count, "after W\(watermark)")
        }
        #expect(op.stateSize == 0)
    }

    // MARK: Unbounded join

    @Test("unbounded join without a time-to-live equals all pairs of each key", arguments: seeds, [false, true])
    func unboundedJoin(seed: UInt64, stragglers: Bool) throws {
        let scenario = Self.scenario(seed, stragglers: stragglers)
        var op = UnboundedJoinOperator<Int, JoinRow, JoinRow, JoinPair>(leftKey: \.key, rightKey: \.key, join: pairNames)
        var sizes: [Int] = []
        let output = try scenario.run(&op) { _, op in sizes.append(op.stateSize) }
        let (joined, late) = splitJoinOutput(output)
        #expect(joined == Self.nestedLoop(scenario.records, time: max) { _, _ in true })
        #expect(late.isEmpty)
        // Nothing is dropped before the end of the input.
        #expect(sizes.last == scenario.records.count)
        #expect(op.stateSize == 0)
    }

    @Test("unbounded join with a time-to-live keeps the pairs within it", arguments: seeds, [3, 15, 40] as [Int64])
    func unboundedJoinTTL(seed: UInt64, ttl: Int64) throws {
        let scenario = Self.scenario(seed, stragglers: seed % 2 == 0)
        let records = scenario.records
        func isLate(_ r: (row: JoinRow, isLeft: Bool, time: EventTime, watermark: EventTime)) -> Bool {
            r.watermark > r.time + ttl
        }
        // Replay: the second record finds the first if neither was past its time-to-live.
        var expected: [JoinTimed<JoinPair>] = []
        for (j, second) in records.enumerated() where !isLate(second) {
            for first in records[..<j] where first.isLeft != second.isLeft && first.row.key == second.row.key
                && !isLate(first) && second.watermark <= first.time + ttl {
                let (l, r) = first.isLeft ? (first, second) : (second, first)
                expected.append(JoinTimed(value: JoinPair(left: l.row.name, right: r.row.name), time: max(l.time, r.time)))
            }
        }
        var op = UnboundedJoinOperator<Int, JoinRow, JoinRow, JoinPair>(ttl: ttl, leftKey: \.key, rightKey: \.key, join: pairNames)
        var stateSizes: [(EventTime, Int)] = []
        let output = try scenario.run(&op) { watermark, op in stateSizes.append((watermark, op.stateSize)) }
        let (joined, late) = splitJoinOutput(output)
        #expect(joined == expected.sorted())
        #expect(late == records.filter(isLate).map(\.row.name).sorted())
        // Every pair of on-time records within the time-to-live is found; no other pair appears.
        let onTime = records.filter { $0.time > $0.watermark }
        #expect(Self.isSubmultiset(Self.nestedLoop(onTime, time: max) { abs($0 - $1) <= ttl }, of: joined))
        #expect(Self.isSubmultiset(joined, of: Self.nestedLoop(records, time: max) { _, _ in true }))
        let arrivalsBefore = Self.arrivalsBeforeEachWatermark(scenario)
        for ((watermark, size), arrived) in zip(stateSizes, arrivalsBefore) {
            #expect(size == records[..<arrived].filter { !isLate($0) && watermark <= $0.time + ttl }.count)
        }
        #expect(op.stateSize == 0)
    }

    // MARK: Stream–table join

    @Test("stream–table join equals a lookup of the latest row in arrival order",
          arguments: seeds, StreamTableJoinOperator<Int, JoinRow, JoinRow, JoinPair>.Kind.allCases)
    func streamTableJoin(seed: UInt64, kind: StreamTableJoinOperator<Int, JoinRow, JoinRow, JoinPair>.Kind) throws {
        let scenario = Self.scenario(seed, stragglers: true)
        // Right rows whose number is a multiple of 5 delete their key; keys 0 and 1 are preloaded.
        let isDelete = { (row: JoinRow) in Int(row.name.dropFirst())! % 5 == 0 }
        let initial = [(0, JoinRow(name: "t1", key: 0)), (1, JoinRow(name: "t2", key: 1))]
        var table = Dictionary(initial, uniquingKeysWith: { $1 })
        var expected: [JoinTimed<JoinPair>] = []
        var unmatched = 0
        for record in scenario.records {
            if record.isLeft {
                if let row = table[record.row.key] {
                    expected.append(JoinTimed(value: JoinPair(left: record.row.name, right: row.name), time: record.time))
                } else if kind == .leftOuter {
                    expected.append(JoinTimed(value: JoinPair(left: record.row.name, right: "∅"), time: record.time))
                } else {
                    unmatched += 1
                }
            } else if isDelete(record.row) {
                table[record.row.key] = nil
            } else {
                table[record.row.key] = record.row
            }
        }
        var op = StreamTableJoinOperator<Int, JoinRow, JoinRow, JoinPair>(
            kind: kind, recordKey: \.key, rowKey: \.key, isDelete: isDelete, initialTable: initial
        ) { JoinPair(left: $0.name, right: $1?.name ?? "∅") }
        let output = try scenario.run(&op)
        #expect(output.map { JoinTimed(value: $0.0, time: $0.1) }.sorted() == expected.sorted())
        #expect(op.unmatchedRecords == unmatched)
        #expect(op.stateSize == table.count)
    }
}
