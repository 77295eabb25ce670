import Testing
import SluiceCore
import SluiceOperators

@Suite("WindowJoinOperator")
struct WindowJoinOperatorTests {
    private typealias Op = WindowJoinOperator<Int, JoinRow, JoinRow, JoinPair>

    private func tumbling(_ size: Int64 = 10) -> Op {
        Op(window: .tumbling(size: size), leftKey: \.key, rightKey: \.key, join: pairNames)
    }

    @Test("a window closing for many keys hands its pairs to the flush in full batches, in order", arguments: [3, 64])
    func flushesLargeFirings(batchSize: Int) throws {
        var input = Batch<JoinInput<JoinRow, JoinRow>>()
        for key in 0..<300 {
            input.append(.left(JoinRow(name: "l\(key)", key: key)), time: 1)
            input.append(.right(JoinRow(name: "r\(key)", key: key)), time: 2)
            input.append(.right(JoinRow(name: "s\(key)", key: key)), time: 3)
        }
        var plain = tumbling(), flushing = tumbling()
        var whole = Batch<Op.Output>(), rest = Batch<Op.Output>()
        try plain.process(input, into: &whole)
        try flushing.process(input, into: &rest)
        try plain.advance(.watermark(9), into: &whole, flush: .never)
        var flushed: [Batch<Op.Output>] = []
        try flushing.advance(.watermark(9), into: &rest, flush: OutputFlush(batchSize: batchSize) { flushed.append($0) })
        #expect(whole.count == 600)
        #expect(flushed.allSatisfy { $0.count == batchSize })
        #expect(rest.count == 600 % batchSize)
        #expect((flushed.flatMap(\.records) + rest.records).map { "\($0)" } == whole.records.map { "\($0)" })
    }

    @Test("pairs of a key and window are emitted when the watermark reaches the window's last millisecond")
    func firesAtMaxTimestamp() throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, "La/1@1 Rx/1@5 Rb/2@3 Ly/1@12 W8 W9 W19 W∞ END", describe: describeJoin)
        // Nothing before W9; b has no left partner in key 2; y none in [10, 20).
        #expect(trace == ["W9 → a+x@9"])
    }

    @Test("every left and right of the window are paired")
    func allPairs() throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, "La/1@1 Rx/1@3 Lb/1@2 Ry/1@9 Rz/2@4 W9", describe: describeJoin)
        #expect(trace == ["W9 → a+x@9", "W9 → a+y@9", "W9 → b+x@9", "W9 → b+y@9"])
    }

    @Test("the pairs do not depend on the order the records arrive in", arguments: [
        "La/1@1 Lb/1@2 Rx/1@3 Ry/1@9",
        "Rx/1@3 Ry/1@9 La/1@1 Lb/1@2",
        "Ry/1@9 La/1@1 Rx/1@3 Lb/1@2",
        "Lb/1@2 Ry/1@9 Rx/1@3 La/1@1",
    ])
    func orderIndependent(script: String) throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, script + " W9", describe: describeJoin)
        #expect(trace.sorted() == ["W9 → a+x@9", "W9 → a+y@9", "W9 → b+x@9", "W9 → b+y@9"])
    }

    @Test("sliding windows pair records that share a window, once per shared window")
    func sliding() throws {
        var op = Op(window: .sliding(size: 10, slide: 5), leftKey: \.key, rightKey: \.key, join: pairNames)
        // a@7 is in [0,10) and [5,15); x@3 in [-5,5) and [0,10); y@12 in [5,15) and [10,20).
        let trace = try runJoinMarbles(&op, "La/1@7 Rx/1@3 Ry/1@12 Lb/1@8 W∞ END", describe: describeJoin)
        #expect(trace == [
            "W∞ → a+x@9", "W∞ → b+x@9",
            "W∞ → a+y@14", "W∞ → b+y@14",
        ])
        #expect(op.stateSize == 0)
    }

    @Test("a record for windows that have all fired is returned as late and counted")
    func lateRecords() throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, "La/1@5 W9 Rx/1@7 Ry/1@9 Rz/1@10 Lb/1@12 W19", describe: describeJoin)
        #expect(trace == ["Rx/1@7 → late x@7", "Ry/1@9 → late y@9", "W19 → b+z@19"])
        #expect(op.lateRecords == 2)
    }

    @Test("a record whose later sliding window is still open joins in that window only")
    func partlyLate() throws {
        var op = Op(window: .sliding(size: 10, slide: 5), leftKey: \.key, rightKey: \.key, join: pairNames)
        // [0,10) fired at W9 (with b alone); a and x still meet in [5,15).
        let trace = try runJoinMarbles(&op, "Lb/1@3 W9 La/1@7 Rx/1@8 W14 W∞", describe: describeJoin)
        #expect(trace == ["W14 → a+x@14"])
        #expect(op.lateRecords == 0)
    }

    @Test("state is freed as windows fire")
    func cleanup() throws {
        var op = tumbling()
        var output = Batch<Op.Output>()
        try op.process(Batch(records: [.left(JoinRow(name: "a", key: 1)), .right(JoinRow(name: "x", key: 2)),
                                       .left(JoinRow(name: "b", key: 1)), .right(JoinRow(name: "y", key: 1))],
                             times: [1, 2, 15, 16]), into: &output)
        #expect(op.stateSize == 4)
        try op.onWatermark(9, into: &output)
        #expect(op.stateSize == 2)
        try op.onWatermark(19, into: &output)
        #expect(op.stateSize == 0)
        #expect(output.records.compactMap(\.joined) == [JoinPair(left: "b", right: "y")])
    }

    @Test("sliding state counts a record once per open window")
    func slidingStateSize() throws {
        var op = Op(window: .sliding(size: 10, slide: 5), leftKey: \.key, rightKey: \.key, join: pairNames)
        _ = try runJoinMarbles(&op, "La/1@7")
        #expect(op.stateSize == 2)
        _ = try runJoinMarbles(&op, "W9")
        #expect(op.stateSize == 1)
        _ = try runJoinMarbles(&op, "W14")
        #expect(op.stateSize == 0)
    }

    @Test("the state stays bounded over a long input")
    func boundedState() throws {
        var op = tumbling()
        var output = Batch<Op.Output>()
        var maxState = 0
        for t in stride(from: EventTime(0), to: 10_000, by: 1) {
            let row = JoinRow(name: "\(t)", key: Int(t % 7))
            try op.process(Batch(records: [t % 2 == 0 ? .left(row) : .right(row)], times: [t]), into: &output)
            if t % 5 == 0 { try op.onWatermark(t - 3, into: &output) }
            maxState = max(maxState, op.stateSize)
        }
        // At most the current window and the one before it, until W passes its end.
        #expect(maxState <= 20)
        try op.onWatermark(.endOfTime, into: &output)
        #expect(op.stateSize == 0)
    }

    @Test("the join function sees the window and may drop a pair")
    func windowAndFilter() throws {
        var op = WindowJoinOperator<Int, JoinRow, JoinRow, String>(
            window: .tumbling(.milliseconds(10)), leftKey: \.key, rightKey: \.key
        ) { left, right, window in
            right.name == "skip" ? nil : "\(left.name)+\(right.name)[\(window.start),\(window.end))"
        }
        let trace = try runJoinMarbles(&op, "La/1@21 Rx/1@22 Rskip/1@23 W∞") {
            $0.joined ?? "late"
        }
        #expect(trace == ["W∞ → a+x[20,30)@29"])
    }

    @Test("the end of input fires open windows even without the final watermark")
    func endFires() throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, "La/1@1 Rx/1@2 END", describe: describeJoin)
        #expect(trace == ["END → a+x@9"])
        #expect(op.stateSize == 0)
    }

    @Test("a watermark that does not advance changes nothing")
    func staleWatermark() throws {
        var op = tumbling()
        let trace = try runJoinMarbles(&op, "W20 W5 La/1@25 Rx/1@26 W10 W29", describe: describeJoin)
        #expect(trace == ["W29 → a+x@29"])
        #expect(op.watermark == 29)
    }
}
