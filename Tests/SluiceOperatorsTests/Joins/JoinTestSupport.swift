import SluiceCore
import SluiceOperators

/// A record of either side in the join tests: a name to recognise it by, and its join key.
struct JoinRow: Hashable, Sendable, CustomStringConvertible {
    var name: String
    var key: Int
    var description: String { name }
}

/// The result of joining two `JoinRow`s: their names.
struct JoinPair: Hashable, Sendable, Comparable, CustomStringConvertible {
    var left: String
    var right: String
    var description: String { "\(left)+\(right)" }
    static func < (a: JoinPair, b: JoinPair) -> Bool { (a.left, a.right) < (b.left, b.right) }
}

/// A value and the event time it was emitted at, comparable so that multisets can be sorted.
struct JoinTimed<Value: Hashable & Comparable>: Hashable, Comparable, CustomStringConvertible {
    var value: Value
    var time: EventTime
    var description: String { "\(value)@\(time)" }
    static func < (a: JoinTimed, b: JoinTimed) -> Bool { (a.value, a.time) < (b.value, b.time) }
}

/// One step of a join test's input.
enum JoinEvent: Hashable, Sendable {
    case left(JoinRow, EventTime)
    case right(JoinRow, EventTime)
    case watermark(EventTime)
    case end
}

/// Parses a marble script: space-separated steps
/// - `La/1@5`: left record `a` of key 1 at time 5; `Rx/1@7`: the same on the right;
/// - `W10`: watermark 10; `W∞`: the final watermark, `EventTime.endOfTime`;
/// - `END`: the end of the input.
func joinMarbles(_ script: String) -> [(token: String, event: JoinEvent)] {
    script.split(separator: " ").map { token in
        let text = String(token)
        if text == "END" { return (text, .end) }
        if text == "W∞" { return (text, .watermark(.endOfTime)) }
        if text.hasPrefix("W") { return (text, .watermark(EventTime(text.dropFirst())!)) }
        let body = text.dropFirst()
        let nameAndKey = body.split(separator: "@")[0].split(separator: "/")
        let row = JoinRow(name: String(nameAndKey[0]), key: Int(nameAndKey[1])!)
        let time = EventTime(body.split(separator: "@")[1])!
        return (text, text.hasPrefix("L") ? .left(row, time) : .right(row, time))
    }
}

/// Runs a marble script through `op`, one step at a time (each record its own batch), and
/// returns what each step emitted as `"step → output@time"`, so that tests see when each
/// result appears, not only that it does.
func runJoinMarbles<Op: BatchOperator>(
    _ op: inout Op, _ script: String, describe: (Op.Output) -> String = { "\($0)" }
) throws -> [String] where Op.Input == JoinInput<JoinRow, JoinRow> {
    var trace: [String] = []
    for (token, event) in joinMarbles(script) {
        var output = Batch<Op.Output>()
        try feedJoin(&op, event, into: &output)
        for i in 0..<output.count {
            trace.append("\(token) → \(describe(output.records[i]))@\(output.times[i])")
        }
    }
    return trace
}

/// Sends one event to `op`.
func feedJoin<Op: BatchOperator>(_ op: inout Op, _ event: JoinEvent, into output: inout Batch<Op.Output>) throws
where Op.Input == JoinInput<JoinRow, JoinRow> {
    switch event {
    case .left(let row, let time): try op.process(Batch(records: [.left(row)], times: [time]), into: &output)
    case .right(let row, let time): try op.process(Batch(records: [.right(row)], times: [time]), into: &output)
    case .watermark(let time): try op.onWatermark(time, into: &output)
    case .end: try op.onEnd(into: &output)
    }
}

/// Describes a join output the way the marble traces spell it: `a+x`, `late a`.
func describeJoin(_ output: JoinOutput<JoinPair, JoinRow, JoinRow>) -> String {
    switch output {
    case .joined(let pair): "\(pair)"
    case .lateLeft(let row): "late \(row)"
    case .lateRight(let row): "late \(row)"
    }
}

/// The join function of most tests: the names of the pair.
@Sendable func pairNames(_ left: JoinRow, _ right: JoinRow) -> JoinPair? {
    JoinPair(left: left.name, right: right.name)
}

/// SplitMix64: a tiny seeded generator, so that every property test run is reproducible.
struct JoinTestRandom: RandomNumberGenerator {
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

/// A random interleaving of both sides with bounded out-of-orderness.
///
/// Event time advances by a random step per record; each record's time lags that clock by up to
/// `outOfOrderness`; watermarks, emitted at random, trail the clock by `outOfOrderness + 1`, so
/// a record is behind the watermark only when it is one of the `stragglerPercent` records
/// deliberately placed before it. Records between watermarks are cut into random batches.
struct JoinScenario: CustomStringConvertible {
    /// Each step with the watermark in force when it is processed.
    var steps: [(event: JoinEvent, watermark: EventTime)] = []
    /// The batches to feed: runs of records, or single control steps.
    var chunks: [[JoinEvent]] = []
    let seed: UInt64
    var description: String { "seed \(seed)" }

    init(seed: UInt64, records: Int = 300, keys: Int = 5, maxStep: Int64 = 4,
         outOfOrderness: Int64 = 12, stragglerPercent: Int = 0, startTime: EventTime = 1_000) {
        self.seed = seed
        var random = JoinTestRandom(seed: seed)
        var clock = startTime
        var watermark = EventTime.noTime
        var pending: [JoinEvent] = []
        func flush() {
            // Cut the pending records into random batches.
            while !pending.isEmpty {
                let size = Int.random(in: 1...8, using: &random)
                chunks.append(Array(pending.prefix(size)))
                pending.removeFirst(min(size, pending.count))
            }
        }
        for n in 0..<records {
            clock += Int64.random(in: 0...maxStep, using: &random)
            var time = clock - Int64.random(in: 0...outOfOrderness, using: &random)
            if watermark != .noTime, Int.random(in: 0..<100, using: &random) < stragglerPercent {
                time = watermark - Int64.random(in: 0...(3 * outOfOrderness), using: &random)
            }
            let key = Int.random(in: 0..<keys, using: &random)
            let isLeft = Bool.random(using: &random)
            let row = JoinRow(name: "\(isLeft ? "l" : "r")\(n)", key: key)
            let event: JoinEvent = isLeft ? .left(row, time) : .right(row, time)
            steps.append((event, watermark))
            pending.append(event)
            if Int.random(in: 0..<10, using: &random) == 0 {
                let next = clock - outOfOrderness - 1
                if next > watermark {
                    flush()
                    watermark = next
                    steps.append((.watermark(next), watermark))
                    chunks.append([.watermark(next)])
                }
            }
        }
        flush()
        steps.append((.watermark(.endOfTime), .endOfTime))
        steps.append((.end, .endOfTime))
        chunks.append([.watermark(.endOfTime)])
        chunks.append([.end])
    }

    /// The records with the watermark in force at their arrival, in arrival order.
    var records: [(row: JoinRow, isLeft: Bool, time: EventTime, watermark: EventTime)] {
        steps.compactMap { step in
            switch step.event {
            case .left(let row, let time): (row, true, time, step.watermark)
            case .right(let row, let time): (row, false, time, step.watermark)
            default: nil
            }
        }
    }

    /// The watermarks in order (the final `endOfTime` included).
    var watermarks: [EventTime] {
        steps.compactMap { if case .watermark(let time) = $0.event { time } else { nil } }
    }

    /// Feeds every chunk to `op` (records of a chunk as one batch), calling `afterWatermark`
    /// after each watermark; returns all output with its times.
    func run<Op: BatchOperator>(_ op: inout Op, afterWatermark: (EventTime, Op) -> Void = { _, _ in })
    throws -> [(Op.Output, EventTime)] where Op.Input == JoinInput<JoinRow, JoinRow> {
        var output = Batch<Op.Output>()
        for chunk in chunks {
            switch chunk[0] {
            case .watermark(let time):
                try op.onWatermark(time, into: &output)
                afterWatermark(time, op)
            case .end:
                try op.onEnd(into: &output)
            default:
                var batch = Batch<JoinInput<JoinRow, JoinRow>>()
                for event in chunk {
                    switch event {
                    case .left(let row, let time): batch.append(.left(row), time: time)
                    case .right(let row, let time): batch.append(.right(row), time: time)
                    default: break
                    }
                }
                try op.process(batch, into: &output)
            }
        }
        return Array(zip(output.records, output.times))
    }
}

/// Splits join output into the sorted multiset of joined pairs and the sorted late names.
func splitJoinOutput(_ output: [(JoinOutput<JoinPair, JoinRow, JoinRow>, EventTime)])
-> (joined: [JoinTimed<JoinPair>], late: [String]) {
    var joined: [JoinTimed<JoinPair>] = []
    var late: [String] = []
    for (record, time) in output {
        switch record {
        case .joined(let pair): joined.append(JoinTimed(value: pair, time: time))
        case .lateLeft(let row), .lateRight(let row): late.append(row.name)
        }
    }
    return (joined.sorted(), late.sorted())
}
