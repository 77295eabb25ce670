import Testing
import SluiceConnectors

@Suite("Backoff")
struct BackoffTests {
    @Test("doubles from 100 ms, caps at 5 s, and gives up at the 12th failure in a row")
    func defaultSequence() {
        var backoff = Backoff()
        var delays: [Int] = []
        while let delay = backoff.nextDelay() { delays.append(delay) }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000, 5000, 5000])
        #expect(backoff.failures == 12)
        #expect(backoff.nextDelay() == nil)
    }

    @Test("reset starts again from the shortest delay")
    func resetRestarts() {
        var backoff = Backoff()
        _ = backoff.nextDelay()
        _ = backoff.nextDelay()
        _ = backoff.nextDelay()
        backoff.reset()
        #expect(backoff.failures == 0)
        #expect(backoff.nextDelay() == 100)
        #expect(backoff.nextDelay() == 200)
    }

    @Test("custom limits")
    func custom() {
        var backoff = Backoff(initialMilliseconds: 10, maxMilliseconds: 25, maxAttempts: 4)
        #expect(backoff.nextDelay() == 10)
        #expect(backoff.nextDelay() == 20)
        #expect(backoff.nextDelay() == 25)
        #expect(backoff.nextDelay() == nil)
    }

    @Test("the shift is bounded: many failures never overflow")
    func noOverflow() {
        var backoff = Backoff(initialMilliseconds: 1, maxMilliseconds: Int.max, maxAttempts: 100)
        var last = 0
        while let delay = backoff.nextDelay() {
            #expect(delay > 0)
            #expect(delay >= last)
            last = delay
        }
        #expect(last == 1 << 20)
    }
}
