import SluiceCore
import SluiceOperators

// Shared helpers of the windowing tests. Names start with `WindowTest` so that they cannot clash
// with helpers of other test files in this target.

/// A record of the window tests: its key, a unique id (to tell which records a window holds) and a value.
struct WindowTestEvent: Hashable, Sendable, CustomStringConvertible {
    var key: Int
    var id: Int
    var value: Int

    init(key: Int, id: Int = 0, value: Int = 1) {
        self.key = key
        self.id = id
        self.value = value
    }

    var description: String { "k\(key)#\(id)" }
}

/// One step of a marble test: what the runtime would hand an operator.
enum WindowTestStep<Record> {
    case records([(Record, EventTime)])
    case watermark(EventTime)
    case processingTime(Int64)
    case end
}

/// The output of one step: records and their event times.
struct WindowTestEmission<Record> {
    var records: [Record]
    var times: [EventTime]
}

/// Runs `steps` through `op` and returns what each step emitted.
func windowTestRun<Op: BatchOperator>(_ op: inout Op, _ steps: [WindowTestStep<Op.Input>]) throws -> [WindowTestEmission<Op.Output>] {
    var emissions: [WindowTestEmission<Op.Output>] = []
    for step in steps {
        var output = Batch<Op.Output>()
        switch step {
        case .records(let records):
            try op.process(Batch(records: ContiguousArray(records.map(\.0)), times: ContiguousArray(records.map(\.1))), into: &output)
        case .watermark(let watermark):
            try op.onWatermark(watermark, into: &output)
        case .processingTime(let now):
            try op.onProcessingTime(now, into: &output)
        case .end:
            try op.onEnd(into: &output)
        }
        emissions.append(WindowTestEmission(records: Array(output.records), times: Array(output.times)))
    }
    return emissions
}

/// Records of key `key` at the given times, with ids `firstID...` and value 1.
func windowTestEvents(key: Int, at times: [EventTime], firstID: Int = 0) -> [(WindowTestEvent, EventTime)] {
    times.enumerated().map { (WindowTestEvent(key: key, id: firstID + $0.offset), $0.element) }
}

/// Shorthand for an expected window result.
func windowTestResult<V>(_ key: Int, _ start: EventTime, _ end: EventTime, _ value: V) -> WindowOutput<Int, WindowTestEvent, V> {
    .result(WindowResult(key: key, window: Window(start: start, end: end), value: value))
}

/// Collects the ids of a window's records: the result says exactly which records a window held.
struct WindowTestIDs: Aggregator, Sendable {
    func makeAccumulator() -> [Int] { [] }
    func add(_ input: WindowTestEvent, to ids: inout [Int]) { ids.append(input.id) }
    func result(_ ids: [Int]) -> [Int] { ids.sorted() }
    func merge(_ other: [Int], into ids: inout [Int]) { ids.append(contentsOf: other) }
}

/// Counts of equal elements: comparing these compares multisets.
func windowTestMultiset<T: Hashable>(_ elements: some Sequence<T>) -> [T: Int] {
    elements.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}

/// SplitMix64: a seeded generator, so every property test run sees the same inputs.
struct WindowTestRandom: RandomNumberGenerator {
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

/// A random out-of-order input: records of `keys` keys, each at most `maxOutOfOrder` behind the
/// latest time so far, except a `lateFraction` of them delayed by up to `lateExtra` more; after
/// some batches the watermark `latest - maxOutOfOrder - 1`, and at the end the final watermark
/// and the end of input.
func windowTestRandomSteps(seed: UInt64, records: Int, keys: Int, start: EventTime = -300, maxOutOfOrder: Int64 = 6,
                           lateFraction: Double = 0, lateExtra: Int64 = 0) -> [WindowTestStep<WindowTestEvent>] {
    var random = WindowTestRandom(seed: seed)
    var steps: [WindowTestStep<WindowTestEvent>] = []
    var latest = start
    var watermark = EventTime.noTime
    var id = 0
    while id < records {
        var batch: [(WindowTestEvent, EventTime)] = []
        for _ in 0..<Int.random(in: 1...8, using: &random) where id < records {
            latest += Int64.random(in: 0...3, using: &random)
            var time = latest - Int64.random(in: 0...maxOutOfOrder, using: &random)
            if lateExtra > 0, Double.random(in: 0..<1, using: &random) < lateFraction {
                time -= Int64.random(in: 1...lateExtra, using: &random)
            }
            batch.append((WindowTestEvent(key: Int.random(in: 0..<keys, using: &random), id: id, value: Int.random(in: 1...9, using: &random)), time))
            id += 1
        }
        steps.append(.records(batch))
        if Bool.random(using: &random), latest - maxOutOfOrder - 1 > watermark {
            watermark = latest - maxOutOfOrder - 1
            steps.append(.watermark(watermark))
        }
    }
    steps.append(.watermark(.endOfTime))
    steps.append(.end)
    return steps
}
