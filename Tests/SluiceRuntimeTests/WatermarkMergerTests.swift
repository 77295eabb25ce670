import Testing
import SluiceCore
import SluiceRuntime

@Suite("WatermarkMerger")
struct WatermarkMergerTests {
    @Test("the combined watermark is the minimum over the inputs")
    func minimumOverInputs() {
        var merger = WatermarkMerger(inputs: 3)
        #expect(merger.current == .noTime)
        #expect(merger.advance(input: 0, to: 10) == nil)   // inputs 1 and 2 hold it back
        #expect(merger.advance(input: 1, to: 20) == nil)
        #expect(merger.advance(input: 2, to: 5) == 5)
        #expect(merger.current == 5)
        #expect(merger.advance(input: 2, to: 30) == 10)    // now input 0 is the slowest
        #expect(merger.advance(input: 0, to: 25) == 20)
        #expect(merger.current == 20)
    }

    @Test("the combined watermark never goes back, and repeats are not reported")
    func monotone() {
        var merger = WatermarkMerger(inputs: 2)
        #expect(merger.advance(input: 0, to: 100) == nil)
        #expect(merger.advance(input: 1, to: 100) == 100)
        #expect(merger.advance(input: 1, to: 100) == nil)
        #expect(merger.advance(input: 1, to: 50) == nil)     // an input going back is ignored
        #expect(merger.current == 100)
        #expect(merger.advance(input: 0, to: 150) == nil)    // input 1 still at 100
        #expect(merger.advance(input: 1, to: 120) == 120)
    }

    @Test("an ended input stops holding the watermark back")
    func endedInputReleases() {
        var merger = WatermarkMerger(inputs: 3)
        #expect(merger.advance(input: 0, to: 40) == nil)
        #expect(merger.advance(input: 1, to: 60) == nil)
        #expect(merger.end(input: 2) == 40)
        #expect(merger.end(input: 0) == 60)
        #expect(!merger.allEnded)
        #expect(merger.advance(input: 1, to: 70) == 70)
        // An ended input's later watermarks (there should be none) change nothing.
        #expect(merger.advance(input: 0, to: 10) == nil)
        #expect(merger.current == 70)
    }

    @Test("allEnded once every input ended, whatever the order")
    func allEnded() {
        for order in [[0, 1, 2], [2, 1, 0], [1, 0, 2]] {
            var merger = WatermarkMerger(inputs: 3)
            for (n, input) in order.enumerated() {
                #expect(!merger.allEnded)
                _ = merger.end(input: input)
                #expect(merger.allEnded == (n == order.count - 1))
            }
        }
    }

    @Test("a single input passes its watermarks through")
    func singleInput() {
        var merger = WatermarkMerger(inputs: 1)
        #expect(merger.advance(input: 0, to: 1) == 1)
        #expect(merger.advance(input: 0, to: 3) == 3)
        #expect(merger.advance(input: 0, to: .endOfTime) == .endOfTime)
        #expect(merger.end(input: 0) == nil)
        #expect(merger.allEnded)
        #expect(merger.current == .endOfTime)
    }
}
