import Testing
import SluiceCore
import SluiceOperators

/// Joins told that a side carries one record per key (`JoinUniqueKeys`) keep less, and emit
/// exactly what the same join without the declaration emits on input that keeps the promise.
@Suite("Join unique keys")
struct JoinUniqueKeysTests {
    private typealias Interval = IntervalJoinOperator<Int, JoinRow, JoinRow, JoinPair>
    private typealias Unbounded = UnboundedJoinOperator<Int, JoinRow, JoinRow, JoinPair>

    static let declarations: [JoinUniqueKeys] = [.left, .right, [.left, .right]]

    /// A random scenario with many keys in which every side declared unique has at most one
    /// record per key (later ones are left out), stragglers in every other seed.
    static func scenario(_ seed: UInt64, unique: JoinUniqueKeys) -> JoinScenario {
        JoinScenario(seed: seed &* 104_729, records: 400, keys: 40, maxStep: 3, outOfOrderness: 15,
                     stragglerPercent: seed % 2 == 0 ? 10 : 0)
            .keepingFirstRecordOfEachKey(left: unique.contains(.left), right: unique.contains(.right))
    }

    /// Runs `plain` and `declared` over the scenario: the same output, and after every watermark
    /// no more state with the declaration; returns the state each kept, summed over watermarks.
    private static func compare<Op: BatchOperator>(_ scenario: JoinScenario, plain: Op, declared: Op,
                                                   stateSize: (Op) -> Int) throws -> (plain: Int, declared: Int)
    where Op.Input == JoinInput<JoinRow, JoinRow>, Op.Output == JoinOutput<JoinPair, JoinRow, JoinRow> {
        var plain = plain, declared = declared
        var plainSizes: [Int] = [], declaredSizes: [Int] = []
        let expected = splitJoinOutput(try scenario.run(&plain) { _, op in plainSizes.append(stateSize(op)) })
        let actual = splitJoinOutput(try scenario.run(&declared) { _, op in declaredSizes.append(stateSize(op)) })
        #expect(actual.joined == expected.joined)
        #expect(actual.late == expected.late)
        for (kept, keptPlain) in zip(declaredSizes, plainSizes) { #expect(kept <= keptPlain) }
        #expect(stateSize(declared) == 0)
        return (plainSizes.reduce(0, +), declaredSizes.reduce(0, +))
    }

    @Test("an interval join with unique keys emits what it emits without them, and keeps less",
          arguments: declarations, [(-5, 5), (0, 10), (-8, -2)] as [(Int64, Int64)])
    func intervalJoin(unique: JoinUniqueKeys, bounds: (Int64, Int64)) throws {
        var plainTotal = 0, declaredTotal = 0
        for seed in JoinPropertyTests.seeds {
            let sizes = try Self.compare(
                Self.scenario(seed, unique: unique),
                plain: Interval(lowerBound: bounds.0, upperBound: bounds.1, leftKey: \.key, rightKey: \.key, join: pairNames),
                declared: Interval(lowerBound: bounds.0, upperBound: bounds.1, uniqueKeys: unique,
                                   leftKey: \.key, rightKey: \.key, join: pairNames),
                stateSize: \.stateSize)
            plainTotal += sizes.plain
            declaredTotal += sizes.declared
        }
        #expect(declaredTotal < plainTotal)
    }

    @Test("a regular join with unique keys emits what it emits without them, and keeps less",
          arguments: declarations, [nil, 20] as [Int64?])
    func unboundedJoin(unique: JoinUniqueKeys, ttl: Int64?) throws {
        var plainTotal = 0, declaredTotal = 0
        for seed in JoinPropertyTests.seeds {
            let sizes = try Self.compare(
                Self.scenario(seed, unique: unique),
                plain: Unbounded(ttl: ttl, leftKey: \.key, rightKey: \.key, join: pairNames),
                declared: Unbounded(ttl: ttl, uniqueKeys: unique, leftKey: \.key, rightKey: \.key, join: pairNames),
                stateSize: \.stateSize)
            plainTotal += sizes.plain
            declaredTotal += sizes.declared
        }
        #expect(declaredTotal < plainTotal)
    }

    @Test("a right record that finds its key's unique left record is not kept; those that waited for it are dropped")
    func keepsOnlyWhatCanStillMatch() throws {
        var op = Unbounded(uniqueKeys: .left, leftKey: \.key, rightKey: \.key, join: pairNames)
        var trace = try runJoinMarbles(&op, "Rx/1@5 Ry/1@6 Rz/2@6", describe: describeJoin)
        #expect(trace.isEmpty)
        #expect(op.stateSize == 3)
        trace = try runJoinMarbles(&op, "La/1@7 Rw/1@8 Rv/2@9", describe: describeJoin)
        #expect(trace == ["La/1@7 → a+x@7", "La/1@7 → a+y@7", "Rw/1@8 → a+w@8"])
        // Key 1: a alone (x and y dropped, w never kept); key 2: z and v, still waiting for theirs.
        #expect(op.stateSize == 3)
    }

    @Test("a left record that finds its key's unique right record is not kept")
    func uniqueRightSide() throws {
        var op = Interval(lowerBound: -5, upperBound: 5, uniqueKeys: .right, leftKey: \.key, rightKey: \.key, join: pairNames)
        let trace = try runJoinMarbles(&op, "Rx/1@10 La/1@8 Lb/1@20 Lc/2@10", describe: describeJoin)
        #expect(trace == ["La/1@8 → a+x@10"])
        #expect(op.stateSize == 2)
    }

    @Test("a second record of a key on a unique side stops the join, naming the side and the key",
          arguments: [(JoinUniqueKeys.left, "La/7@10 Rx/7@11 Lb/7@12", "left"),
                      (JoinUniqueKeys.right, "Rx/7@10 Ry/7@30", "right"),
                      // Behind the watermark (not kept itself), it still meets the first.
                      (JoinUniqueKeys.left, "La/7@100 W150 Lb/7@140", "left")])
    func duplicateKey(unique: JoinUniqueKeys, script: String, side: String) throws {
        var op = Interval(lowerBound: 0, upperBound: 60, uniqueKeys: unique, leftKey: \.key, rightKey: \.key, join: pairNames)
        #expect(throws: DuplicateJoinKeyError(side: side, key: "7")) {
            _ = try runJoinMarbles(&op, script)
        }
        var regular = Unbounded(uniqueKeys: unique, leftKey: \.key, rightKey: \.key, join: pairNames)
        #expect(throws: DuplicateJoinKeyError(side: side, key: "7")) {
            _ = try runJoinMarbles(&regular, script)
        }
    }

    @Test("a second record of a key after the first was dropped is not seen (the declaration is not enforced beyond the kept rows)")
    func duplicateAfterRetention() throws {
        var op = Interval(lowerBound: 0, upperBound: 5, uniqueKeys: .left, leftKey: \.key, rightKey: \.key, join: pairNames)
        let trace = try runJoinMarbles(&op, "La/1@10 W20 Lb/1@30 Rx/1@31", describe: describeJoin)
        #expect(trace == ["Rx/1@31 → b+x@31"])
    }

    @Test("rows restored from a checkpoint keep the promise: a duplicate of a restored key still stops the join")
    func restoredRows() throws {
        typealias Row = JoinSnapshotTestRow
        func make() -> IntervalJoinOperator<Int, Row, Row, Int> {
            IntervalJoinOperator(lowerBound: 0, upperBound: 60, uniqueKeys: .left, leftKey: \.key, rightKey: \.key) { $0.id + $1.id }
        }
        var op = make()
        var output = Batch<JoinOutput<Int, Row, Row>>()
        try op.process(Batch(records: [.left(Row(key: 3, id: 1)), .right(Row(key: 3, id: 2))], times: [10, 11]), into: &output)
        #expect(op.stateSize == 1)
        var restored = make()
        try restored.restore(RestoredState(blobs: [try op.snapshot().serialize().bytes], keyGroups: 0..<128,
                                           keyGroupMap: KeyGroups(maxParallelism: 128)))
        #expect(restored.stateSize == 1)
        #expect(throws: DuplicateJoinKeyError(side: "left", key: "3")) {
            try restored.process(Batch(records: [.left(Row(key: 3, id: 4))], times: [12]), into: &output)
        }
    }
}

extension JoinScenario {
    /// The scenario without the records of a side after the first of their key, on the sides
    /// asked for: input that keeps a `JoinUniqueKeys` declaration.
    func keepingFirstRecordOfEachKey(left: Bool, right: Bool) -> JoinScenario {
        var seenLeft: Set<Int> = [], seenRight: Set<Int> = []
        func keeps(_ event: JoinEvent) -> Bool {
            switch event {
            case .left(let row, _): !left || seenLeft.insert(row.key).inserted
            case .right(let row, _): !right || seenRight.insert(row.key).inserted
            case .watermark, .end: true
            }
        }
        var copy = self
        copy.chunks = chunks.map { $0.filter(keeps) }.filter { !$0.isEmpty }
        let kept = Set(copy.chunks.joined().compactMap { event -> String? in
            switch event {
            case .left(let row, _), .right(let row, _): row.name
            case .watermark, .end: nil
            }
        })
        copy.steps = steps.filter { step in
            switch step.event {
            case .left(let row, _), .right(let row, _): kept.contains(row.name)
            case .watermark, .end: true
            }
        }
        return copy
    }
}
