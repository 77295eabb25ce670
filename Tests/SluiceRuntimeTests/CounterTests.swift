import Testing
import SluiceRuntime

@Suite("Counter")
struct CounterTests {
    @Test("starts at zero and adds")
    func adds() {
        let counter = Counter()
        #expect(counter.value == 0)
        counter.add(5)
        counter.add(0)
        counter.add(37)
        #expect(counter.value == 42)
    }

    @Test("adds from several threads are all counted", .timeLimit(.minutes(1)))
    func concurrentAdds() {
        let counter = Counter()
        let threads = (0..<4).map { n in
            InstanceThread.start(name: "adder \(n)") {
                for _ in 0..<50_000 { counter.add(1) }
            }
        }
        for thread in threads { thread.join() }
        #expect(counter.value == 200_000)
    }
}
