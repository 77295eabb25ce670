import Foundation
import Synchronization
import Testing
import Sluice

/// A number with an event time.
struct Stamped: Sendable, Hashable {
    var n: Int
    var time: Int64
}

/// The numbers the source threads passed on, in the order they did.
private final class PassedNumbers: Sendable {
    private let numbers = Mutex<[Int]>([])
    func append(_ n: Int) { numbers.withLock { $0.append(n) } }
    var all: [Int] { numbers.withLock { $0 } }
}

@Suite("Watermark alignment in pipelines")
struct WatermarkAlignmentPipelineTests {
    static let alignment = WatermarkAlignment(group: "numbers", maxDrift: .milliseconds(100))

    @Test("an instance far ahead in event time passes one batch on, then waits until the others finish", arguments: [2, 3])
    func instanceAheadWaits(parallelism: Int) throws {
        let count = 6_000
        let batchSize = 16
        let passed = PassedNumbers()
        // Instance `parallelism - 1` makes the numbers n ≡ parallelism - 1: its times are far ahead.
        let fast = parallelism - 1
        try Pipeline { p in
            p.source("numbers", count: count) { n in
                Stamped(n: n, time: n % parallelism == fast ? 10_000_000 + Int64(n) : Int64(n))
            }
            .withEventTime(\.time, alignment: Self.alignment)
            .map { (number: Stamped) -> Int in
                passed.append(number.n)
                return number.n
            }
            .discard()
        }.run({ var options = RunOptions(parallelism: parallelism); options.batchSize = batchSize; return options }())
        let order = passed.all
        #expect(order.sorted() == Array(0..<count))
        let lastSlow = try #require(order.lastIndex { $0 % parallelism != fast })
        let fastBeforeIt = order[..<lastSlow].filter { $0 % parallelism == fast }.count
        #expect(fastBeforeIt <= batchSize, "\(fastBeforeIt) numbers of the instance ahead passed before the others finished")
    }

    @Test("checkpoints complete while an instance waits for the others, and the run ends with every record counted",
          arguments: [2, 3])
    func checkpointsWhileWaiting(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.batchSize = 16
        options.checkpointDirectory = directory.file("ck")
        options.checkpointInterval = .milliseconds(1)
        let count = 200_000
        let fast = parallelism - 1
        let results = CollectedRecords<Reading>()
        // The instance ahead waits for the others to finish, while checkpoints are triggered every
        // millisecond: the keyed step aligns their barriers, so it would wait for the paused
        // instance's barrier while that instance waits for the others.
        try Pipeline { p in
            p.source("numbers", count: count) { n in
                Stamped(n: n, time: n % parallelism == fast ? 10_000_000 + Int64(n) : Int64(n))
            }
            .withEventTime(\.time, alignment: Self.alignment)
            .keyed(by: { $0.n % 7 })
            .process(id: "count", initialState: 0) { (seen: inout Int, number: Stamped, out: inout KeyedEmitter<Int, Reading>) in
                seen += 1
                out.emit(Reading(sensor: number.n % 7, value: seen))
            }
            .collect(into: results)
        }.run(options)
        let counted = Dictionary(grouping: results.records, by: \.sensor).values.map { $0.map(\.value).max() ?? 0 }
        #expect(counted.reduce(0, +) == count)
        #expect(results.records.count == count)
        let checkpoints = try FileManager.default.contentsOfDirectory(atPath: directory.file("ck")).filter { name in
            FileManager.default.fileExists(atPath: directory.file("ck/\(name)/_manifest.json"))
        }
        #expect(!checkpoints.isEmpty, "no checkpoint completed")
    }

    @Test("aligned sources give the same window counts at every parallelism", arguments: [1, 2, 4])
    func sameResults(parallelism: Int) throws {
        let input = clicks(count: 20_000, users: 23, disorder: 300, seed: 4)
        let results = CollectedRecords<WindowResult<Int, Int>>()
        let summary = try Pipeline { p in
            p.source("clicks", count: input.count) { input[$0] }
                .withEventTime(\.time, maxOutOfOrderness: .milliseconds(300),
                               alignment: WatermarkAlignment(group: "clicks", maxDrift: .milliseconds(50)))
                .keyed(by: \.user)
                .window(.tumbling(.seconds(1)))
                .aggregate(Count(), id: "clicks")
                .collect(into: results)
        }.run(WindowPipelineTests.smallBatches(parallelism: parallelism))
        var expected: [String: Int] = [:]
        for click in input { expected["\(click.user)@\(click.time / 1000 * 1000)", default: 0] += 1 }
        let got = Dictionary(uniqueKeysWithValues: results.records.map { ("\($0.key)@\($0.window.start)", $0.value) })
        #expect(got == expected)
        // The first instance to report a watermark is ahead of those that have none yet.
        #expect(parallelism == 1 ? summary.alignmentPauses == 0 : summary.alignmentPauses > 0)
    }

    @Test("alignment needs event time assigned on the source's instances")
    func notOnSourceThreads() throws {
        let pipeline = Pipeline { p in
            p.source("numbers", count: 10) { Stamped(n: $0, time: Int64($0)) }
                .keyed(by: \.n)
                .process(id: "pass", initialState: 0) { _, number, out in out.emit(number) }
                .withEventTime(\.time, alignment: Self.alignment)
                .discard()
        }
        let error = #expect(throws: UsageError.self) { try pipeline.plan(RunOptions(parallelism: 2)) }
        #expect(error?.message.contains("source's instances") == true)
    }

    @Test("a source's records are aligned by one step only: two on one thread could wait for each other")
    func twoOnOneSource() throws {
        let pipeline = Pipeline { p in
            let numbers = p.source("numbers", count: 10) { Stamped(n: $0, time: Int64($0)) }
            numbers.filter { $0.n % 2 == 0 }.withEventTime(\.time, alignment: Self.alignment).discard()
            numbers.filter { $0.n % 2 == 1 }.withEventTime(\.time, alignment: Self.alignment).discard()
        }
        let error = #expect(throws: UsageError.self) { try pipeline.plan(RunOptions(parallelism: 2)) }
        #expect(error?.message.contains("already has an aligned withEventTime") == true, "\(error?.message ?? "")")
    }

    @Test("one group cannot have two drifts")
    func twoDrifts() throws {
        let pipeline = Pipeline { p in
            p.source("a", count: 10) { Stamped(n: $0, time: Int64($0)) }
                .withEventTime(\.time, alignment: Self.alignment).discard()
            p.source("b", count: 10) { Stamped(n: $0, time: Int64($0)) }
                .withEventTime(\.time, alignment: WatermarkAlignment(group: "numbers", maxDrift: .seconds(1))).discard()
        }
        let error = #expect(throws: UsageError.self) { try pipeline.plan(RunOptions(parallelism: 2)) }
        #expect(error?.message.contains("two maximum drifts") == true)
    }
}
