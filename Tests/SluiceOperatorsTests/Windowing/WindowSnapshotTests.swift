import SluiceCore
import SluiceOperators
import Testing

/// A record of the window snapshot tests: Codable, so that window state holding it can be saved.
struct WindowSnapshotTestEvent: Hashable, Codable, Sendable, CustomStringConvertible {
    var key: Int
    var id: Int
    var value: Int
    var description: String { "k\(key)#\(id)" }
}

/// The ids of a window's records, as a Codable accumulator.
struct WindowSnapshotTestIDs: Aggregator, Sendable {
    func makeAccumulator() -> [Int] { [] }
    func add(_ input: WindowSnapshotTestEvent, to ids: inout [Int]) { ids.append(input.id) }
    func result(_ ids: [Int]) -> [Int] { ids.sorted() }
    func merge(_ other: [Int], into ids: inout [Int]) { ids.append(contentsOf: other) }
}

/// A record that is not Codable: state holding it cannot be saved.
struct WindowSnapshotTestOpaque: Hashable {
    var key: Int
}

/// Checkpoint and restore of the window operators: a restored instance (or 2 or 3 of them, each
/// owning part of the key groups) continues exactly as the original would have.
@Suite struct WindowSnapshotTests {
    typealias Event = WindowSnapshotTestEvent

    static func steps(seed: UInt64, keys: Int = 14, processingTime: Bool = false) -> [SnapshotTestStep<Event>] {
        snapshotTestSteps(seed: seed, count: 300, processingTime: processingTime) { id, random in
            Event(key: Int.random(in: 0..<keys, using: &random), id: id, value: Int.random(in: 1...9, using: &random))
        }
    }

    static func aggregateDriver<A: Aggregator>(
        _ assigner: WindowAssigner, _ aggregator: A, lateness: Int64 = 0, domain: TimeDomain = .eventTime
    ) -> SnapshotTestDriver<KeyedWindowAggregateOperator<Int, Event, A>> where A.Input == Event {
        SnapshotTestDriver(
            make: { KeyedWindowAggregateOperator(key: \.key, assigner: assigner, aggregator: aggregator,
                                                 allowedLateness: lateness, timeDomain: domain) },
            keyGroup: { $1.keyGroup(for: $0.key) },
            counter: { $0.lateRecords },
            snapshot: { $0.snapshot() },
            restore: { try $0.restore($1) })
    }

    static func processDriver(_ assigner: WindowAssigner, lateness: Int64 = 0)
    -> SnapshotTestDriver<KeyedWindowProcessOperator<Int, Event, String>> {
        SnapshotTestDriver(
            make: {
                KeyedWindowProcessOperator(key: \.key, assigner: assigner, allowedLateness: lateness) { key, window, records, out in
                    out.append("ids \(records.map(\.id).sorted())")
                    out.append("sum \(records.reduce(0) { $0 + $1.value }) of \(key) in \(window)")
                }
            },
            keyGroup: { $1.keyGroup(for: $0.key) },
            counter: { $0.lateRecords },
            snapshot: { $0.snapshot() },
            restore: { try $0.restore($1) })
    }

    /// Checks a driver over several seeds; the inputs must have left state to save and produced
    /// output and late records after the cut.
    static func check<Op: BatchOperator>(_ driver: SnapshotTestDriver<Op>, expectLate: Bool = true,
                                         processingTime: Bool = false,
                                         sourceLocation: SourceLocation = #_sourceLocation) throws
    where Op.Input == Event, Op.Output: Hashable {
        let report = try snapshotTestRounds(driver, seeds: 0..<6, steps: { steps(seed: $0, processingTime: processingTime) },
                                            sourceLocation: sourceLocation)
        #expect(report.savedEntries > 0, sourceLocation: sourceLocation)
        #expect(report.outputsAfterCut > 0, sourceLocation: sourceLocation)
        if expectLate { #expect(report.counterAfterCut > 0, "no late records after the cut", sourceLocation: sourceLocation) }
    }

    @Test func tumblingAggregateRestores() throws {
        try Self.check(Self.aggregateDriver(.tumbling(size: 10), Sum<Event, Int>(\.value)))
    }

    @Test func slidingAggregateWithLatenessRestores() throws {
        try Self.check(Self.aggregateDriver(.sliding(size: 20, slide: 5), Average<Event>(\.value), lateness: 10))
        try Self.check(Self.aggregateDriver(.sliding(size: 12, slide: 8), WindowSnapshotTestIDs(), lateness: 3))
    }

    @Test func sessionAggregateRestores() throws {
        try Self.check(Self.aggregateDriver(.session(gap: 7), WindowSnapshotTestIDs(), lateness: 5))
        try Self.check(Self.aggregateDriver(.session(gap: 4), Max<Event, Int>(\.value)))
    }

    @Test func processingTimeAggregateRestores() throws {
        try Self.check(Self.aggregateDriver(.tumbling(size: 10), Count<Event>(), domain: .processingTime),
                       expectLate: false, processingTime: true)
        try Self.check(Self.aggregateDriver(.session(gap: 5), Count<Event>(), domain: .processingTime),
                       expectLate: false, processingTime: true)
    }

    @Test func processWindowRestores() throws {
        try Self.check(Self.processDriver(.tumbling(size: 10)))
        try Self.check(Self.processDriver(.sliding(size: 15, slide: 5), lateness: 6))
        try Self.check(Self.processDriver(.session(gap: 6), lateness: 4))
    }

    /// The top operator's state is keyed by window: its input is window results.
    static func topDriver(_ selection: WindowTopSelection) -> SnapshotTestDriver<WindowTopOperator<WindowResult<Int, Int>>> {
        SnapshotTestDriver(
            make: { WindowTopOperator(window: \.window, by: { ($0.value, $1.key) < ($1.value, $0.key) }, selection: selection) },
            keyGroup: { $1.keyGroup(for: $0.window) },
            counter: { $0.lateRecords },
            snapshot: { $0.snapshot() },
            restore: { try $0.restore($1) })
    }

    static func topSteps(seed: UInt64) -> [SnapshotTestStep<WindowResult<Int, Int>>] {
        var random = SnapshotTestRandom(seed: seed)
        var steps: [SnapshotTestStep<WindowResult<Int, Int>>] = []
        var watermark: EventTime = -1
        for _ in 0..<120 {
            var batch: [(WindowResult<Int, Int>, EventTime)] = []
            for _ in 0..<Int.random(in: 1...5, using: &random) {
                // Windows of two sizes around the watermark, a few of them already fired.
                let size: Int64 = Bool.random(using: &random) ? 10 : 20
                let start = WindowAssigner.alignedStart(watermark + Int64.random(in: -15...40, using: &random), size)
                let window = Window(start: start, end: start + size)
                batch.append((WindowResult(key: Int.random(in: 0..<30, using: &random), window: window,
                                           value: Int.random(in: 0...6, using: &random)), window.maxTimestamp))
            }
            steps.append(.records(batch))
            if Bool.random(using: &random) {
                watermark += Int64.random(in: 1...8, using: &random)
                steps.append(.watermark(watermark))
            }
        }
        steps.append(.watermark(.endOfTime))
        steps.append(.end)
        return steps
    }

    @Test(arguments: [WindowTopSelection.top(2), .top(1), .allMaximal])
    func topPerWindowRestores(selection: WindowTopSelection) throws {
        let report = try snapshotTestRounds(Self.topDriver(selection), seeds: 0..<6, steps: Self.topSteps)
        #expect(report.savedEntries > 0)
        #expect(report.outputsAfterCut > 0)
        #expect(report.counterAfterCut > 0)
    }

    @Test func snapshotabilityFollowsCodable() {
        #expect(KeyedWindowAggregateOperator<Int, Event, Sum<Event, Int>>.isSnapshotable)
        #expect(KeyedWindowAggregateOperator<Int, Event, Average<Event>>.isSnapshotable)
        #expect(KeyedWindowAggregateOperator<String, Event, WindowSnapshotTestIDs>.isSnapshotable)
        #expect(KeyedWindowProcessOperator<Int, Event, WindowSnapshotTestOpaque>.isSnapshotable)
        #expect(!KeyedWindowProcessOperator<Int, WindowSnapshotTestOpaque, Int>.isSnapshotable)
        #expect(!KeyedWindowAggregateOperator<Int, Event, WindowSnapshotTestOpaqueAggregator>.isSnapshotable)
        #expect(WindowTopOperator<WindowResult<Int, Int>>.isSnapshotable)
        #expect(!WindowTopOperator<WindowResult<Int, WindowSnapshotTestOpaque>>.isSnapshotable)
    }

    /// A snapshot is a copy: the original going on (new keys, fired and freed windows) leaves it,
    /// and what it restores, as it was when taken.
    @Test func snapshotIsUnaffectedByLaterChanges() throws {
        var op = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: WindowSnapshotTestIDs())
        var output = Batch<KeyedWindowAggregateOperator<Int, Event, WindowSnapshotTestIDs>.Output>()
        try op.process(Batch(records: [Event(key: 1, id: 0, value: 1), Event(key: 2, id: 1, value: 1)], times: [3, 5]), into: &output)
        let snapshot = op.snapshot()
        try op.process(Batch(records: [Event(key: 1, id: 2, value: 1), Event(key: 3, id: 3, value: 1)], times: [4, 6]), into: &output)
        try op.onWatermark(100, into: &output)
        #expect(op.stateSize == 0)

        var restored = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: WindowSnapshotTestIDs())
        try restored.restore(RestoredState(blobs: [try snapshot.serialize().bytes], keyGroups: 0..<128, keyGroupMap: KeyGroups(maxParallelism: 128)))
        #expect(restored.stateSize == 2)
        var fired = Batch<KeyedWindowAggregateOperator<Int, Event, WindowSnapshotTestIDs>.Output>()
        try restored.onWatermark(100, into: &fired)
        #expect(Set(fired.records.compactMap(\.result).map { "\($0)" }) == ["1@[0, 10)=[0]", "2@[0, 10)=[1]"])
    }

    /// The watermark of an instance restored from several snapshots is the smallest saved one.
    @Test func restoredWatermarkIsTheSmallest() throws {
        func snapshot(at watermark: EventTime, key: Int) throws -> [UInt8] {
            var op = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: Count<Event>())
            var output = Batch<KeyedWindowAggregateOperator<Int, Event, Count<Event>>.Output>()
            try op.process(Batch(records: [Event(key: key, id: 0, value: 1)], times: [watermark + 1]), into: &output)
            try op.onWatermark(watermark, into: &output)
            return try op.snapshot().serialize().bytes
        }
        var op = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: Count<Event>())
        try op.restore(RestoredState(blobs: [try snapshot(at: 30, key: 1), try snapshot(at: 20, key: 2)],
                                     keyGroups: 0..<128, keyGroupMap: KeyGroups(maxParallelism: 128)))
        #expect(op.watermark == 20)
        #expect(op.stateSize == 2)
    }

    /// State saved by one window shape cannot be restored into another.
    @Test func restoreRejectsAnotherShape() throws {
        var tumbling = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: Count<Event>())
        var output = Batch<KeyedWindowAggregateOperator<Int, Event, Count<Event>>.Output>()
        try tumbling.process(Batch(records: [Event(key: 1, id: 0, value: 1)], times: [3]), into: &output)
        let saved = RestoredState(blobs: [try tumbling.snapshot().serialize().bytes], keyGroups: 0..<128,
                                  keyGroupMap: KeyGroups(maxParallelism: 128))
        var larger = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 20), aggregator: Count<Event>())
        #expect(throws: (any Error).self) { try larger.restore(saved) }
        var sessions = KeyedWindowAggregateOperator(key: \Event.key, assigner: .session(gap: 10), aggregator: Count<Event>())
        #expect(throws: (any Error).self) { try sessions.restore(saved) }
        var processingTime = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: Count<Event>(),
                                                          timeDomain: .processingTime)
        #expect(throws: (any Error).self) { try processingTime.restore(saved) }
        var top = WindowTopOperator<WindowResult<Int, Int>>(window: \.window, by: { $0.value < $1.value }, selection: .top(1))
        #expect(throws: (any Error).self) { try top.restore(saved) }
        // Truncated bytes fail cleanly.
        var same = KeyedWindowAggregateOperator(key: \Event.key, assigner: .tumbling(size: 10), aggregator: Count<Event>())
        let bytes = saved.blobs[0]
        for length in [0, 1, 5, bytes.count - 1] {
            #expect(throws: (any Error).self) {
                try same.restore(RestoredState(blobs: [Array(bytes[..<length])], keyGroups: 0..<128, keyGroupMap: KeyGroups(maxParallelism: 128)))
            }
        }
    }
}

/// An aggregator whose accumulator is not Codable.
struct WindowSnapshotTestOpaqueAggregator: Aggregator {
    func makeAccumulator() -> WindowSnapshotTestOpaque { WindowSnapshotTestOpaque(key: 0) }
    func add(_ input: WindowSnapshotTestEvent, to accumulator: inout WindowSnapshotTestOpaque) { accumulator.key += 1 }
    func result(_ accumulator: WindowSnapshotTestOpaque) -> Int { accumulator.key }
    func merge(_ other: WindowSnapshotTestOpaque, into accumulator: inout WindowSnapshotTestOpaque) { accumulator.key += other.key }
}
