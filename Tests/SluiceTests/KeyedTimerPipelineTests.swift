import Testing
import Sluice

/// A user's page views per second of event time, counted in state and emitted by a timer: what
/// a window does, written by hand with a keyed process function.
struct ClicksPerSecond: Sendable, Hashable {
    var user: Int
    var second: Int64
    var clicks: Int
}

@Suite("Keyed process timers in pipelines")
struct KeyedTimerPipelineTests {
    static let input = clicks(count: 20_000, users: 23, disorder: 300, seed: 4)

    @Test("event-time timers give the counts a brute-force evaluation gives, at every parallelism", arguments: [1, 2, 4])
    func eventTimeTimers(parallelism: Int) throws {
        let results = CollectedRecords<ClicksPerSecond>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .withEventTime(\.time, maxOutOfOrderness: .milliseconds(300))
                .keyed(by: \.user)
                .process(id: "per-second", initialState: [Int64: Int]()) { counts, click, out in
                    let second = click.time / 1000
                    counts[second, default: 0] += 1
                    out.registerEventTimeTimer(at: second * 1000 + 999)
                } onTimer: { counts, timer, out in
                    let second = timer.time / 1000
                    out.emit(ClicksPerSecond(user: timer.key, second: second, clicks: counts.removeValue(forKey: second) ?? 0))
                    if counts.isEmpty { out.clearState() }
                }
                .collect(into: results)
        }.run(RunOptions(parallelism: parallelism))
        var expected: [ClicksPerSecond: Int] = [:]
        for (key, count) in Dictionary(Self.input.map { ("\($0.user)/\($0.time / 1000)", 1) }, uniquingKeysWith: +) {
            let parts = key.split(separator: "/")
            expected[ClicksPerSecond(user: Int(parts[0])!, second: Int64(parts[1])!, clicks: count), default: 0] += 1
        }
        #expect(counts(results.records) == expected)
    }

    @Test("registering a timer in a step without onTimer stops the pipeline with the reason")
    func timerWithoutCallback() throws {
        let results = CollectedRecords<Int>()
        #expect {
            try Pipeline { p in
                p.source(elements: Array(0..<10))
                    .keyed { $0 % 3 }
                    .process(id: "bad", initialState: 0) { (_: inout Int, value: Int, out: inout KeyedEmitter<Int, Int>) in
                        out.registerProcessingTimeTimer(at: 0)
                    }
                    .collect(into: results)
            }.run(RunOptions(parallelism: 1))
        } throws: { error in
            "\(error)".contains("no onTimer")
        }
    }
}
