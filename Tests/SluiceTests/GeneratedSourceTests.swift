import Foundation
import Synchronization
import Testing
import Sluice
import SluiceRuntime

/// The numbers each thread passed on, in the order it did.
private final class NumbersByThread: Sendable {
    private let numbers = Mutex<(byThread: [UInt: [Int]], count: Int)>(([:], 0))
    /// Adds `n` to the calling thread's numbers; returns how many all threads have passed on,
    /// `n` included (read in the same step, so that exactly one call sees each count).
    @discardableResult
    func append(_ n: Int) -> Int {
        numbers.withLock {
            $0.byThread[UInt(pthread_self()), default: []].append(n)
            $0.count += 1
            return $0.count
        }
    }
    var all: [[Int]] { numbers.withLock { Array($0.byThread.values) } }
}

@Suite("Generated sources")
struct GeneratedSourceTests {
    /// The numbers below `count` that `instance` of `parallelism` makes, in runs of `runLength`.
    static func numbers(of instance: Int, parallelism: Int, runLength: Int, below count: Int) -> [Int] {
        (0..<count).filter { ($0 / runLength) % parallelism == instance }
    }

    @Test("each instance makes its runs of numbers in increasing order, and every number is made once",
          arguments: [1, 2, 3], [1, 7, 50])
    func runs(parallelism: Int, runLength: Int) throws {
        let count = 1_003
        let seen = NumbersByThread()
        try Pipeline { p in
            // A filter sees its records in order (a map takes them off a batch's end).
            p.source("numbers", count: count, runLength: runLength) { $0 }
                .filter { (n: Int) -> Bool in
                    seen.append(n)
                    return true
                }
                .discard()
        }.run({ var options = RunOptions(parallelism: parallelism); options.batchSize = 16; return options }())
        let expected = (0..<parallelism).map {
            Self.numbers(of: $0, parallelism: parallelism, runLength: runLength, below: count)
        }
        // Compared as a Bool: the arrays would fill the log.
        #expect(Set(seen.all) == Set(expected.filter { !$0.isEmpty }) ? true : false)
    }

    @Test("a run stopped with a final checkpoint resumes each instance within its runs: every number once",
          arguments: [2, 3], [1, 50])
    func resumesWithinRuns(parallelism: Int, runLength: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.batchSize = 16
        options.checkpointDirectory = directory.file("ck")
        options.checkpointInterval = .seconds(3_600)
        let count = 20_000
        let stopAfter = 5_000
        func pipeline(_ seen: NumbersByThread, stop: ExecutionContext?) -> Pipeline {
            Pipeline { p in
                p.source("numbers", count: count, runLength: runLength) { $0 }
                    .filter { (n: Int) -> Bool in
                        if seen.append(n) == stopAfter, let stop { stop.requestStop() }
                        return true
                    }
                    .discard()
            }
        }
        let first = NumbersByThread(), second = NumbersByThread()
        let context = ExecutionContext()
        try pipeline(first, stop: context).run(options, context: context)
        let before = first.all.joined().count
        #expect(before >= stopAfter && before < count, "the first run stopped early")
        options.resume = .latest
        try pipeline(second, stop: nil).run(options)
        let all = (first.all + second.all).joined().sorted()
        #expect(all == Array(0..<count) ? true : false, "every number once over both runs")
        // Each instance went on in its own runs, in increasing order.
        for numbers in second.all {
            let instance = (numbers[0] / runLength) % parallelism
            #expect(Set(numbers).isSubset(of: Self.numbers(of: instance, parallelism: parallelism,
                                                            runLength: runLength, below: count)))
            #expect(numbers == numbers.sorted() ? true : false, "instance \(instance) in increasing order")
        }
    }

    /// A record of a per-instance generator: its number, the thread that made the generating
    /// function, and the thread that called it.
    struct MadeBy: Sendable {
        var n: Int
        var maker: UInt
        var caller: UInt
    }

    @Test("each instance makes its own generating function once, on its own thread, and makes its runs with it",
          arguments: [1, 2, 3])
    func generatorPerInstance(parallelism: Int) throws {
        let count = 1_003, runLength = 50
        let makers = Mutex<[UInt]>([])
        let made = Mutex<[MadeBy]>([])
        try Pipeline { p in
            p.source("numbers", count: count, runLength: runLength, generatorPerInstance: {
                let maker = UInt(pthread_self())
                makers.withLock { $0.append(maker) }
                return { n in MadeBy(n: n, maker: maker, caller: UInt(pthread_self())) }
            })
            .filter { (record: MadeBy) -> Bool in
                made.withLock { $0.append(record) }
                return true
            }
            .discard()
        }.run({ var options = RunOptions(parallelism: parallelism); options.batchSize = 16; return options }())
        let threads = makers.withLock { $0 }
        #expect(threads.count == parallelism && Set(threads).count == parallelism, "one function per instance, each made on its own thread")
        let records = made.withLock { $0 }
        #expect(records.map(\.n).sorted() == Array(0..<count) ? true : false, "every number once")
        #expect(records.allSatisfy { $0.maker == $0.caller }, "each function is called only on the thread that made it")
        for thread in threads {
            let numbers = records.filter { $0.maker == thread }.map(\.n)
            let instance = (numbers[0] / runLength) % parallelism
            #expect(numbers == Self.numbers(of: instance, parallelism: parallelism, runLength: runLength, below: count) ? true : false)
        }
    }
}
