import Testing
import SluiceCore
import SluiceOperators

@Suite("IntervalJoinOperator")
struct IntervalJoinOperatorTests {
    private typealias Op = IntervalJoinOperator<Int, JoinRow, JoinRow, JoinPair>

    /// Right times in `[a.time - 2, a.time + 3]`.
    private func join(lower: Int64 = -2, upper: Int64 = 3) -> Op {
        Op(lowerBound: lower, upperBound: upper, leftKey: \.key, rightKey: \.key, join: pairNames)
    }

    @Test("a pair is emitted by its second record, at the later of the two times, without a watermark")
    func emitsOnArrival() throws {
        var op = join()
        let trace = try runJoinMarbles(&op, "La/1@10 Rx/1@8 Ry/1@13 Rz/1@14 Rw/1@7 Rv/2@10 Lb/1@12",
                                       describe: describeJoin)
        #expect(trace == [
            "Rx/1@8 → a+x@10", "Ry/1@13 → a+y@13",
            // b@12 takes rights in [10, 15], in time order.
            "Lb/1@12 → b+y@13", "Lb/1@12 → b+z@14",
        ])
    }

    @Test("a right record arriving first is found by the left record", arguments: [-3, -2, 0, 3, 4] as [Int64])
    func rightFirst(offset: Int64) throws {
        var op = join()
        let trace = try runJoinMarbles(&op, "Rx/1@\(100 + offset) La/1@100", describe: describeJoin)
        let inside = (-2...3).contains(offset)
        #expect(trace == (inside ? ["La/1@100 → a+x@\(max(100, 100 + offset))"] : []))
    }

    @Test("both bounds are inclusive", arguments: Array(-4...5) as [Int64])
    func inclusiveBounds(offset: Int64) throws {
        var op = join()
        let trace = try runJoinMarbles(&op, "La/1@100 Rx/1@\(100 + offset)", describe: describeJoin)
        #expect(trace.count == ((-2...3).contains(offset) ? 1 : 0))
    }

    @Test("a left row is dropped once the watermark passes time + upper, a right row once it passes time - lower")
    func cleanup() throws {
        var op = join()
        _ = try runJoinMarbles(&op, "La/1@10 Rx/1@20")
        #expect(op.stateSize == 2)
        _ = try runJoinMarbles(&op, "W13")
        #expect(op.stateSize == 2)
        _ = try runJoinMarbles(&op, "W14")
        #expect(op.stateSize == 1)
        _ = try runJoinMarbles(&op, "W22")
        #expect(op.stateSize == 1)
        _ = try runJoinMarbles(&op, "W23")
        #expect(op.stateSize == 0)
    }

    @Test("a record behind the watermark still joins the rows kept; it is late only when none can remain")
    func lateRecords() throws {
        var op = join()
        // x is kept while W <= 22. a@15 (behind W20) still finds x, and is not kept itself;
        // b@14 could only match rights up to 17, all dropped by W20 (20 > 14 + 3 + 2).
        // c@17 could still have met a left at 17...19 had one come: not late, though it finds none.
        let trace = try runJoinMarbles(&op, "Rx/1@18 W20 La/1@15 Lb/1@14 Rc/1@17 Rd/1@14", describe: describeJoin)
        #expect(trace == ["La/1@15 → a+x@18", "Lb/1@14 → late b@14", "Rd/1@14 → late d@14"])
        #expect(op.lateRecords == 2)
        #expect(op.stateSize == 1)
    }

    @Test("with an interval after the left time, a left record waits for rights still to come")
    func oneSidedInterval() throws {
        var op = join(lower: 2, upper: 5)
        let trace = try runJoinMarbles(&op, "W10 La/1@7 Rx/1@11 Lb/1@4 Rz/1@12", describe: describeJoin)
        // a@7 (behind W10) is kept until W > 12 and meets x@11 and z@12; b@4 could only meet
        // rights up to 9, and those (behind W10) could only ever meet lefts up to 7 or earlier: late.
        #expect(trace == ["Rx/1@11 → a+x@11", "Lb/1@4 → late b@4", "Rz/1@12 → a+z@12"])
        #expect(op.lateRecords == 1)
    }

    @Test("a right record past its own retention still probes the kept lefts")
    func rightBehindWatermark() throws {
        var op = join(lower: 2, upper: 5)
        // x@11 can only meet lefts in [6, 9]; it is never kept (10 > 11 - 2) but finds a.
        let trace = try runJoinMarbles(&op, "La/1@7 W10 Rx/1@11", describe: describeJoin)
        #expect(trace == ["Rx/1@11 → a+x@11"])
        #expect(op.stateSize == 1)
    }

    @Test("the join function may drop a pair (a further condition, as Nexmark q4 needs)")
    func filter() throws {
        var op = IntervalJoinOperator<Int, JoinRow, JoinRow, String>(
            lowerBound: .zero, upperBound: .milliseconds(100), leftKey: \.key, rightKey: \.key
        ) { auction, bid in bid.name.hasPrefix("ok") ? "\(auction.name)+\(bid.name)" : nil }
        let trace = try runJoinMarbles(&op, "La/1@0 Rok1/1@10 Rno/1@20 Rok2/1@100 Rok3/1@101") { $0.joined ?? "late" }
        #expect(trace == ["Rok1/1@10 → a+ok1@10", "Rok2/1@100 → a+ok2@100"])
    }

    @Test("the state stays bounded over a long input")
    func boundedState() throws {
        var op = join(lower: -20, upper: 30)
        var output = Batch<Op.Output>()
        var maxState = 0
        for t in stride(from: EventTime(0), to: 10_000, by: 1) {
            let row = JoinRow(name: "\(t)", key: Int(t % 7))
            try op.process(Batch(records: [t % 3 == 0 ? .left(row) : .right(row)], times: [t]), into: &output)
            if t % 10 == 0 { try op.onWatermark(t - 5, into: &output) }
            maxState = max(maxState, op.stateSize)
        }
        // Lefts live 30 ms past the watermark, rights 20: at most ~45 ms of input is kept.
        #expect(maxState <= 50)
        try op.onWatermark(.endOfTime, into: &output)
        #expect(op.stateSize == 0)
        #expect(op.lateRecords == 0)
    }

    @Test("extreme bounds do not overflow")
    func extremes() throws {
        var op = join(lower: .min, upper: .max)
        let trace = try runJoinMarbles(&op, "La/1@-1000 Rx/1@1000000 Ry/1@-5000 W∞ END", describe: describeJoin)
        #expect(trace == ["Rx/1@1000000 → a+x@1000000", "Ry/1@-5000 → a+y@-1000"])
        #expect(op.stateSize == 0)
    }

    @Test("the end of input frees all state")
    func endFrees() throws {
        var op = join()
        _ = try runJoinMarbles(&op, "La/1@10 Rx/1@50 END")
        #expect(op.stateSize == 0)
    }
}
