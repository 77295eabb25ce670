import Testing
import SluiceCore
@testable import SluiceOperators

/// `AlignedTimerQueue` must pop exactly what `TimerQueue` pops, in the same order, for any mix of
/// scheduling and popping: few distinct times (its case), times before the bucket being drained,
/// times equal to it, and watermarks that move by varying steps.
@Suite struct TimerQueueTests {
    @Test("the aligned queue pops as the heap does", arguments: [UInt64(1), 2, 3, 4])
    func alignedMatchesHeap(seed: UInt64) {
        var rng = SnapshotTestRandom(seed: seed)
        var heap = TimerQueue<Int>()
        var aligned = AlignedTimerQueue<Int>()
        var watermark: EventTime = 0
        var popped = 0
        for step in 0..<2_000 {
            if Int.random(in: 0..<3, using: &rng) > 0 {
                // Mostly a handful of aligned times ahead, sometimes a time at or before the watermark.
                let time = Bool.random(using: &rng)
                    ? (watermark / 10 + Int64.random(in: 0...3, using: &rng)) * 10
                    : watermark - Int64.random(in: 0...5, using: &rng)
                #expect(heap.schedule(step, at: time) == aligned.schedule(step, at: time))
            } else {
                watermark += Int64.random(in: 0...15, using: &rng)
                // Pop some, not always all, of what is due, interleaving with new timers.
                for _ in 0..<Int.random(in: 0...20, using: &rng) {
                    let a = heap.popTimer(dueAt: watermark), b = aligned.popTimer(dueAt: watermark)
                    #expect(a?.time == b?.time && a?.sequence == b?.sequence && a?.payload == b?.payload)
                    if a == nil { break }
                    popped += 1
                }
            }
            #expect(heap.count == aligned.count)
            #expect(heap.nextTime == aligned.nextTime)
        }
        while let a = heap.popTimer(dueAt: .max) {
            let b = aligned.popTimer(dueAt: .max)
            #expect(a.time == b?.time && a.sequence == b?.sequence)
        }
        #expect(aligned.popTimer(dueAt: .max) == nil)
        #expect(aligned.isEmpty)
        #expect(popped > 100)
    }
}
