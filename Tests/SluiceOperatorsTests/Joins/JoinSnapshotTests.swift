import SluiceCore
import SluiceOperators
import Testing

/// A record of either side in the join snapshot tests: Codable, so that join state can be saved.
struct JoinSnapshotTestRow: Hashable, Codable, Sendable, CustomStringConvertible {
    var key: Int
    var id: Int
    var description: String { "\(key)#\(id)" }
}

/// The ids of a joined pair (and, for window joins, the window's start).
struct JoinSnapshotTestPair: Hashable, Sendable, CustomStringConvertible {
    var left: Int
    var right: Int
    var windowStart: EventTime = 0
    var description: String { "\(left)+\(right)/\(windowStart)" }
}

/// A row that is not Codable.
struct JoinSnapshotTestOpaque: Hashable {
    var key: Int
}

/// Checkpoint and restore of the join operators: a restored instance (or 2 or 3 of them, each
/// owning part of the key groups) continues exactly as the original would have.
@Suite struct JoinSnapshotTests {
    typealias Row = JoinSnapshotTestRow
    typealias Input = JoinInput<Row, Row>
    typealias Output = JoinOutput<JoinSnapshotTestPair, Row, Row>

    static func steps(seed: UInt64, keys: Int = 12) -> [SnapshotTestStep<Input>] {
        snapshotTestSteps(seed: seed, count: 260, lateFraction: 0.08, lateExtra: 30) { id, random in
            let row = Row(key: Int.random(in: 0..<keys, using: &random), id: id)
            return Bool.random(using: &random) ? .left(row) : .right(row)
        }
    }

    static func keyGroup(_ input: Input, _ map: KeyGroups) -> Int {
        switch input {
        case .left(let row), .right(let row): map.keyGroup(for: row.key)
        }
    }

    /// A join function that drops some pairs, as a further join condition would.
    @Sendable static func pair(_ left: Row, _ right: Row) -> JoinSnapshotTestPair? {
        (left.id + right.id) % 7 == 0 ? nil : JoinSnapshotTestPair(left: left.id, right: right.id)
    }

    static func check<Op: BatchOperator>(_ driver: SnapshotTestDriver<Op>, expectLate: Bool = true,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws
    where Op.Input == Input, Op.Output: Hashable {
        let report = try snapshotTestRounds(driver, seeds: 0..<6, steps: { steps(seed: $0) }, sourceLocation: sourceLocation)
        #expect(report.savedEntries > 0, sourceLocation: sourceLocation)
        #expect(report.outputsAfterCut > 0, sourceLocation: sourceLocation)
        if expectLate { #expect(report.counterAfterCut > 0, "no late records after the cut", sourceLocation: sourceLocation) }
    }

    @Test(arguments: [WindowAssigner.tumbling(size: 10), .sliding(size: 12, slide: 4), .sliding(size: 9, slide: 6)])
    func windowJoinRestores(window: WindowAssigner) throws {
        try Self.check(SnapshotTestDriver(
            make: {
                WindowJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(window: window, leftKey: \.key, rightKey: \.key) { left, right, window in
                    Self.pair(left, right).map { JoinSnapshotTestPair(left: $0.left, right: $0.right, windowStart: window.start) }
                }
            },
            keyGroup: Self.keyGroup, counter: { $0.lateRecords },
            snapshot: { $0.snapshot() }, restore: { try $0.restore($1) }))
    }

    @Test(arguments: [(Int64(-5), Int64(8)), (0, 0), (2, 10), (-10, -3)])
    func intervalJoinRestores(bounds: (Int64, Int64)) throws {
        try Self.check(SnapshotTestDriver(
            make: {
                IntervalJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(lowerBound: bounds.0, upperBound: bounds.1,
                                                                          leftKey: \.key, rightKey: \.key, join: Self.pair)
            },
            keyGroup: Self.keyGroup, counter: { $0.lateRecords },
            snapshot: { $0.snapshot() }, restore: { try $0.restore($1) }))
    }

    @Test(arguments: [Int64?.none, 15, 0])
    func unboundedJoinRestores(ttl: Int64?) throws {
        try Self.check(SnapshotTestDriver(
            make: { UnboundedJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(ttl: ttl, leftKey: \.key, rightKey: \.key, join: Self.pair) },
            keyGroup: Self.keyGroup, counter: { $0.lateRecords },
            snapshot: { $0.snapshot() }, restore: { try $0.restore($1) }), expectLate: ttl != nil)
    }

    @Test(arguments: StreamTableJoinOperator<Int, Row, Row, JoinSnapshotTestPair>.Kind.allCases, [false, true])
    func streamTableJoinRestores(kind: StreamTableJoinOperator<Int, Row, Row, JoinSnapshotTestPair>.Kind,
                                 withInitialTable: Bool) throws {
        // Rows with an id divisible by 5 delete their key. With an initial table every original
        // instance starts with all of it, also the keys it does not own (and never changes).
        let initial = withInitialTable ? (0..<12).map { ($0, Row(key: $0, id: 1_000 + $0)) } : []
        try Self.check(SnapshotTestDriver(
            make: {
                StreamTableJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(
                    kind: kind, recordKey: \.key, rowKey: \.key, isDelete: { $0.id % 5 == 0 }, initialTable: initial
                ) { record, row in JoinSnapshotTestPair(left: record.id, right: row?.id ?? -1) }
            },
            keyGroup: Self.keyGroup, counter: { $0.unmatchedRecords },
            snapshot: { $0.snapshot() }, restore: { try $0.restore($1) }), expectLate: kind == .inner)
    }

    @Test func snapshotabilityFollowsCodable() {
        #expect(WindowJoinOperator<Int, Row, Row, JoinSnapshotTestOpaque>.isSnapshotable)
        #expect(!WindowJoinOperator<Int, Row, JoinSnapshotTestOpaque, Int>.isSnapshotable)
        #expect(IntervalJoinOperator<String, Row, Row, Int>.isSnapshotable)
        #expect(!IntervalJoinOperator<Int, JoinSnapshotTestOpaque, Row, Int>.isSnapshotable)
        #expect(UnboundedJoinOperator<Int, Row, Row, Int>.isSnapshotable)
        #expect(!UnboundedJoinOperator<Int, Row, JoinSnapshotTestOpaque, Int>.isSnapshotable)
        #expect(StreamTableJoinOperator<Int, JoinSnapshotTestOpaque, Row, Int>.isSnapshotable)
        #expect(!StreamTableJoinOperator<Int, Row, JoinSnapshotTestOpaque, Int>.isSnapshotable)
    }

    /// A snapshot is a copy: rows added and expired after it was taken do not reach it.
    @Test func snapshotIsUnaffectedByLaterChanges() throws {
        func make() -> IntervalJoinOperator<Int, Row, Row, JoinSnapshotTestPair> {
            IntervalJoinOperator(lowerBound: -5, upperBound: 5, leftKey: \.key, rightKey: \.key, join: Self.pair)
        }
        var op = make()
        var output = Batch<Output>()
        try op.process(Batch(records: [.left(Row(key: 1, id: 1)), .right(Row(key: 2, id: 2))], times: [10, 12]), into: &output)
        let snapshot = op.snapshot()
        try op.process(Batch(records: [.left(Row(key: 2, id: 3)), .right(Row(key: 1, id: 4))], times: [13, 11]), into: &output)
        try op.onWatermark(100, into: &output)
        #expect(op.stateSize == 0)

        var restored = make()
        try restored.restore(RestoredState(blobs: [try snapshot.serialize().bytes], keyGroups: 0..<128,
                                           keyGroupMap: KeyGroups(maxParallelism: 128)))
        #expect(restored.stateSize == 2)
        #expect(restored.watermark == .noTime)
        var joined = Batch<Output>()
        try restored.process(Batch(records: [.right(Row(key: 1, id: 9)), .left(Row(key: 2, id: 8))], times: [12, 12]), into: &joined)
        #expect(Set(joined.records.compactMap(\.joined)) == [JoinSnapshotTestPair(left: 1, right: 9), JoinSnapshotTestPair(left: 8, right: 2)])
    }

    /// State saved by one join cannot be restored into another, nor into other bounds.
    @Test func restoreRejectsAnotherShape() throws {
        var interval = IntervalJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(lowerBound: -5, upperBound: 5, leftKey: \.key, rightKey: \.key, join: Self.pair)
        var output = Batch<Output>()
        try interval.process(Batch(records: [.left(Row(key: 1, id: 1))], times: [10]), into: &output)
        let saved = RestoredState(blobs: [try interval.snapshot().serialize().bytes], keyGroups: 0..<128,
                                  keyGroupMap: KeyGroups(maxParallelism: 128))
        var wider = IntervalJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(lowerBound: -5, upperBound: 9, leftKey: \.key, rightKey: \.key, join: Self.pair)
        #expect(throws: (any Error).self) { try wider.restore(saved) }
        var unbounded = UnboundedJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(ttl: 5, leftKey: \.key, rightKey: \.key, join: Self.pair)
        #expect(throws: (any Error).self) { try unbounded.restore(saved) }
        var windowJoin = WindowJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(window: .tumbling(size: 10), leftKey: \.key, rightKey: \.key, join: Self.pair)
        #expect(throws: (any Error).self) { try windowJoin.restore(saved) }
        var same = IntervalJoinOperator<Int, Row, Row, JoinSnapshotTestPair>(lowerBound: -5, upperBound: 5, leftKey: \.key, rightKey: \.key, join: Self.pair)
        try same.restore(saved)
        #expect(same.stateSize == 1)
    }
}
