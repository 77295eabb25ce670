import SluiceCore
import SluiceOperators
import Testing

// The checkpoint/restore harness of the window and join snapshot tests. Names start with
// `SnapshotTest` so that they cannot clash with helpers of other test files in this target.

/// One step of an operator's input: what the runtime hands an operator instance.
enum SnapshotTestStep<Record> {
    case records([(Record, EventTime)])
    case watermark(EventTime)
    case processingTime(Int64)
    case end
}

/// An output record with its event time: comparing multisets of these compares outputs.
struct SnapshotTestTimed<Output: Hashable>: Hashable, CustomStringConvertible {
    var output: Output
    var time: EventTime
    var description: String { "\(output)@\(time)" }
}

/// How the harness drives an operator type: the methods that are not part of `BatchOperator`.
struct SnapshotTestDriver<Op: BatchOperator> {
    /// A fresh instance (every call builds the same operator).
    var make: () -> Op
    /// The key group a record is routed to.
    var keyGroup: (Op.Input, KeyGroups) -> Int
    /// A counter that must add up over instances (late or unmatched records).
    var counter: (Op) -> Int
    var snapshot: (Op) -> StateSnapshot
    var restore: (inout Op, RestoredState) throws -> Void
}

/// What a round of the harness saw, so that a test can check that it exercised something.
struct SnapshotTestReport {
    /// Entries in the snapshots (keys or windows) at the cut.
    var savedEntries = 0
    /// Records the original instances emitted after the cut.
    var outputsAfterCut = 0
    /// Counter increments after the cut.
    var counterAfterCut = 0
}

/// Feeds `steps` to `op`, only the records whose key group is in `keyGroups` (control steps go to
/// every instance, as the runtime broadcasts them), and returns what it emitted.
func snapshotTestFeed<Op: BatchOperator>(
    _ op: inout Op, _ steps: ArraySlice<SnapshotTestStep<Op.Input>>, keyGroups: Range<Int>, map: KeyGroups,
    keyGroup: (Op.Input, KeyGroups) -> Int
) throws -> [SnapshotTestTimed<Op.Output>] where Op.Output: Hashable {
    var emitted: [SnapshotTestTimed<Op.Output>] = []
    for step in steps {
        var output = Batch<Op.Output>()
        switch step {
        case .records(let records):
            let mine = records.filter { keyGroups.contains(keyGroup($0.0, map)) }
            guard !mine.isEmpty else { continue }
            try op.process(Batch(records: ContiguousArray(mine.map(\.0)), times: ContiguousArray(mine.map(\.1))), into: &output)
        case .watermark(let watermark):
            try op.onWatermark(watermark, into: &output)
        case .processingTime(let now):
            try op.onProcessingTime(now, into: &output)
        case .end:
            try op.onEnd(into: &output)
        }
        for i in 0..<output.count { emitted.append(SnapshotTestTimed(output: output.records[i], time: output.times[i])) }
    }
    return emitted
}

func snapshotTestMultiset<T: Hashable>(_ elements: some Sequence<T>) -> [T: Int] {
    elements.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}

/// The checkpoint round trip of one input:
/// 1. `originalParallelism` instances (each owning its key-group range of 128) run `steps[..<cut]`;
///    each takes two snapshots and serialises the first at once;
/// 2. they run the rest of the input; the second snapshot, serialised only now, and the first,
///    serialised again, must give the same bytes (the instances' later changes did not reach them);
/// 3. for 1, 2 and 3 new instances, each built fresh, restored from the blobs whose ranges overlap
///    its own, and fed the rest of the input of its keys (and every control step), the union of
///    the outputs must equal the originals' outputs after the cut (as multisets), and the counters
///    must grow by as much.
func snapshotTestRoundTrip<Op: BatchOperator>(
    _ driver: SnapshotTestDriver<Op>, steps: [SnapshotTestStep<Op.Input>], cut: Int, originalParallelism: Int,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SnapshotTestReport where Op.Output: Hashable {
    let map = KeyGroups(maxParallelism: 128)
    var report = SnapshotTestReport()
    var expected: [SnapshotTestTimed<Op.Output>] = []
    var blobs: [(range: Range<Int>, bytes: [UInt8])] = []
    for instance in 0..<originalParallelism {
        let range = map.range(instance: instance, of: originalParallelism)
        var op = driver.make()
        _ = try snapshotTestFeed(&op, steps[..<cut], keyGroups: range, map: map, keyGroup: driver.keyGroup)
        let first = driver.snapshot(op)
        let second = driver.snapshot(op)
        let (bytes, entries) = try first.serialize()
        report.savedEntries += entries
        let counterAtCut = driver.counter(op)
        expected += try snapshotTestFeed(&op, steps[cut...], keyGroups: range, map: map, keyGroup: driver.keyGroup)
        report.counterAfterCut += driver.counter(op) - counterAtCut
        #expect(try second.serialize().bytes == bytes, "a snapshot serialised after its instance went on differs", sourceLocation: sourceLocation)
        #expect(try first.serialize().bytes == bytes, "a snapshot serialised twice differs", sourceLocation: sourceLocation)
        blobs.append((range, bytes))
    }
    report.outputsAfterCut = expected.count
    let expectedSet = snapshotTestMultiset(expected)
    for parallelism in 1...3 {
        var restored: [SnapshotTestTimed<Op.Output>] = []
        var counter = 0
        for instance in 0..<parallelism {
            let range = map.range(instance: instance, of: parallelism)
            var op = driver.make()
            let overlapping = blobs.filter { $0.range.overlaps(range) }.map(\.bytes)
            try driver.restore(&op, RestoredState(blobs: overlapping, keyGroups: range, keyGroupMap: map))
            restored += try snapshotTestFeed(&op, steps[cut...], keyGroups: range, map: map, keyGroup: driver.keyGroup)
            counter += driver.counter(op)
        }
        let restoredSet = snapshotTestMultiset(restored)
        if restoredSet != expectedSet {
            let missing = expectedSet.filter { restoredSet[$0.key, default: 0] < $0.value }.map(\.key)
            let extra = restoredSet.filter { expectedSet[$0.key, default: 0] < $0.value }.map(\.key)
            Issue.record("\(originalParallelism) → \(parallelism) instances, cut at step \(cut): missing \(missing.prefix(8)), extra \(extra.prefix(8))",
                         sourceLocation: sourceLocation)
        }
        #expect(counter == report.counterAfterCut, "\(originalParallelism) → \(parallelism) instances: counter", sourceLocation: sourceLocation)
    }
    return report
}

/// SplitMix64: a seeded generator, so that every run sees the same inputs.
struct SnapshotTestRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9e37_79b9_7f4a_7c15 }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A random out-of-order input of `count` records made by `record(id, random)`: times at most
/// `maxOutOfOrder` behind the latest so far, except a `lateFraction` delayed by up to `lateExtra`
/// more; after some batches the watermark `latest - maxOutOfOrder - 1` (or, with
/// `processingTime`, the clock `latest` instead); at the end the final watermark and the end.
func snapshotTestSteps<Record>(
    seed: UInt64, count: Int, maxOutOfOrder: Int64 = 6, lateFraction: Double = 0.1, lateExtra: Int64 = 40,
    processingTime: Bool = false, record: (Int, inout SnapshotTestRandom) -> Record
) -> [SnapshotTestStep<Record>] {
    var random = SnapshotTestRandom(seed: seed)
    var steps: [SnapshotTestStep<Record>] = []
    var latest: EventTime = -100
    var watermark = EventTime.noTime
    var id = 0
    while id < count {
        var batch: [(Record, EventTime)] = []
        for _ in 0..<Int.random(in: 1...6, using: &random) where id < count {
            latest += Int64.random(in: 0...3, using: &random)
            var time = latest - Int64.random(in: 0...maxOutOfOrder, using: &random)
            if Double.random(in: 0..<1, using: &random) < lateFraction {
                time -= Int64.random(in: 1...lateExtra, using: &random)
            }
            batch.append((record(id, &random), time))
            id += 1
        }
        steps.append(.records(batch))
        if processingTime {
            if Bool.random(using: &random) { steps.append(.processingTime(latest)) }
        } else if Bool.random(using: &random), latest - maxOutOfOrder - 1 > watermark {
            watermark = latest - maxOutOfOrder - 1
            steps.append(.watermark(watermark))
        }
    }
    if !processingTime { steps.append(.watermark(.endOfTime)) }
    steps.append(.end)
    return steps
}

/// Runs the round trip for `seeds` inputs, each cut at a random step, from 1 and from 2 original
/// instances; returns the summed reports.
func snapshotTestRounds<Op: BatchOperator>(
    _ driver: SnapshotTestDriver<Op>, seeds: Range<UInt64>, steps: (UInt64) -> [SnapshotTestStep<Op.Input>],
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> SnapshotTestReport where Op.Output: Hashable {
    var total = SnapshotTestReport()
    for seed in seeds {
        let input = steps(seed)
        var random = SnapshotTestRandom(seed: seed ^ 0x5eed)
        let cut = Int.random(in: 1..<input.count - 1, using: &random)
        for parallelism in 1...2 {
            let report = try snapshotTestRoundTrip(driver, steps: input, cut: cut, originalParallelism: parallelism,
                                                   sourceLocation: sourceLocation)
            total.savedEntries += report.savedEntries
            total.outputsAfterCut += report.outputsAfterCut
            total.counterAfterCut += report.counterAfterCut
        }
    }
    return total
}
