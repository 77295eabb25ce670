import Synchronization
import Testing
import Sluice
import SluiceRuntime

@Suite("Thread scheduling of a running pipeline")
struct ThreadSchedulingPipelineTests {
    #if os(Linux)
    @Test("every instance, source and keyed stage alike, runs under RunOptions.threadScheduling",
          arguments: ThreadScheduling.allCases, [1, 2])
    func instancesRunUnderTheOption(scheduling: ThreadScheduling, parallelism: Int) throws {
        let seen = Mutex<Set<String>>([])
        @Sendable func record(_ stage: String) {
            let policy = ThreadScheduling.currentThread.map(\.rawValue) ?? "other"
            seen.withLock { _ = $0.insert("\(stage): \(policy)") }
        }
        var options = RunOptions(parallelism: parallelism)
        options.threadScheduling = scheduling
        try Pipeline { p in
            p.source("numbers", count: 1_000) { $0 }
                .filter { (n: Int) -> Bool in record("source"); return true }
                .keyed(by: { $0 % 7 })
                .process(id: "count", initialState: 0) { (count: inout Int, n: Int, out: inout KeyedEmitter<Int, Int>) in
                    record("keyed")
                    count += 1
                }
                .discard()
        }.run(options)
        #expect(seen.withLock { $0 } == ["source: \(scheduling.rawValue)", "keyed: \(scheduling.rawValue)"])
    }
    #endif
}
