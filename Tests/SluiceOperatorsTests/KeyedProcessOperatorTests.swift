import Testing
import SluiceCore
import SluiceOperators

private struct Bid: Equatable {
    var auction: Int
    var price: Int
}

private func bids(_ pairs: [(Int, Int)], times: [EventTime]) -> Batch<Bid> {
    Batch(records: ContiguousArray(pairs.map { Bid(auction: $0.0, price: $0.1) }), times: ContiguousArray(times))
}

@Suite("KeyedProcessOperator")
struct KeyedProcessOperatorTests {
    /// Emits "auction:count:maxPrice" for every bid, from state kept per auction.
    private func runningMax() -> KeyedProcessOperator<Int, Bid, (count: Int, max: Int), String> {
        KeyedProcessOperator(key: { $0.auction }, initialState: { (0, 0) }) { state, bid, out in
            state.count += 1
            state.max = Swift.max(state.max, bid.price)
            out.emit("\(out.key):\(state.count):\(state.max)")
        }
    }

    @Test("state is kept per key, across batches")
    func statePerKey() throws {
        var op = runningMax()
        var first = Batch<String>()
        try op.process(bids([(1, 5), (2, 7), (1, 3), (1, 9)], times: [100, 200, 300, 400]), into: &first)
        #expect(Array(first.records) == ["1:1:5", "2:1:7", "1:2:5", "1:3:9"])
        var second = Batch<String>()
        try op.process(bids([(2, 1), (3, 4), (1, 2)], times: [500, 600, 700]), into: &second)
        #expect(Array(second.records) == ["2:2:7", "3:1:4", "1:4:9"])
        #expect(op.states.count == 3)
        #expect(op.states[1]?.count == 4)
        #expect(op.states[1]?.max == 9)
        #expect(op.states[2]?.count == 2)
    }

    @Test("emitted records carry the time of the input record that produced them")
    func emittedTimes() throws {
        var op = KeyedProcessOperator<Int, Bid, Int, Int>(key: { $0.auction }, initialState: { 0 }) { _, bid, out in
            // Zero, one or two outputs per record.
            for n in 0..<(bid.price % 3) { out.emit(bid.price * 10 + n) }
        }
        var output = Batch<Int>()
        try op.process(bids([(1, 2), (2, 3), (3, 1), (1, 5)], times: [11, 22, 33, 44]), into: &output)
        #expect(Array(output.records) == [20, 21, 10, 50, 51])
        #expect(Array(output.times) == [11, 11, 33, 44, 44])
    }

    @Test("the emitter shows the current record's key and time")
    func emitterSeesKeyAndTime() throws {
        var op = KeyedProcessOperator<String, String, Int, String>(key: { String($0.prefix(1)) }, initialState: { 0 }) { _, record, out in
            out.emit("\(record)@\(out.key)@\(out.time)")
        }
        var output = Batch<String>()
        try op.process(Batch(records: ["apple", "banana", "avocado"], times: [1, 2, 3]), into: &output)
        #expect(Array(output.records) == ["apple@a@1", "banana@b@2", "avocado@a@3"])
    }

    @Test("output already in the batch is kept")
    func appendsToOutput() throws {
        var op = runningMax()
        var output = Batch<String>(records: ["earlier"], times: [1])
        try op.process(bids([(4, 1)], times: [9]), into: &output)
        #expect(Array(output.records) == ["earlier", "4:1:1"])
        #expect(Array(output.times) == [1, 9])
    }

    @Test("an empty batch changes nothing")
    func emptyBatch() throws {
        var op = runningMax()
        var output = Batch<String>()
        try op.process(Batch(), into: &output)
        #expect(output.isEmpty)
        #expect(op.states.isEmpty)
    }

    @Test("an error from the function leaves process; output emitted before it is kept consistent")
    func errorPropagates() {
        struct Rejected: Error, Equatable { var price: Int }
        var op = KeyedProcessOperator<Int, Bid, Int, Int>(key: { $0.auction }, initialState: { 0 }) { state, bid, out in
            if bid.price < 0 { throw Rejected(price: bid.price) }
            state += bid.price
            out.emit(state)
        }
        var output = Batch<Int>()
        #expect(throws: Rejected(price: -1)) {
            try op.process(bids([(1, 2), (1, -1), (1, 4)], times: [1, 2, 3]), into: &output)
        }
        #expect(Array(output.records) == [2])
        #expect(Array(output.times) == [1])
    }
}
