import Testing
import SluiceCore
import SluiceOperators

@Suite("UnboundedJoinOperator")
struct UnboundedJoinOperatorTests {
    private typealias Op = UnboundedJoinOperator<Int, JoinRow, JoinRow, JoinPair>

    private func join(ttl: Int64? = nil) -> Op {
        Op(ttl: ttl, leftKey: \.key, rightKey: \.key, join: pairNames)
    }

    @Test("each arriving record joins every kept row of the other side of its key")
    func joinsOnArrival() throws {
        var op = join()
        let trace = try runJoinMarbles(&op, "La/1@1 Rx/1@2 Ry/1@3 Lb/1@4 Rz/2@5 Lc/2@0", describe: describeJoin)
        #expect(trace == [
            "Rx/1@2 → a+x@2", "Ry/1@3 → a+y@3",
            "Lb/1@4 → b+x@4", "Lb/1@4 → b+y@4",
            "Lc/2@0 → c+z@5",
        ])
        #expect(op.stateSize == 6)
    }

    @Test("the pairs do not depend on the order the records arrive in", arguments: [
        "La/1@1 Lb/1@2 Rx/1@3 Ry/1@9",
        "Rx/1@3 Ry/1@9 La/1@1 Lb/1@2",
        "Ry/1@9 La/1@1 Rx/1@3 Lb/1@2",
        "Lb/1@2 Ry/1@9 W100 Rx/1@3 La/1@1",
    ])
    func orderIndependent(script: String) throws {
        var op = join()
        let pairs = try runJoinMarbles(&op, script) { $0.joined?.description ?? "late" }
            .map { String($0.split(separator: " ").last!) }
        #expect(pairs.sorted() == ["a+x@3", "a+y@9", "b+x@3", "b+y@9"])
    }

    @Test("without a time-to-live, watermarks keep every row and nothing is late")
    func noTTL() throws {
        var op = join()
        let trace = try runJoinMarbles(&op, "La/1@1 W1000 Rx/1@2 W∞ Ry/1@3", describe: describeJoin)
        #expect(trace == ["Rx/1@2 → a+x@2", "Ry/1@3 → a+y@3"])
        #expect(op.stateSize == 3)
        #expect(op.lateRecords == 0)
        _ = try runJoinMarbles(&op, "END")
        #expect(op.stateSize == 0)
    }

    @Test("a row is dropped once the watermark passes its time plus the time-to-live")
    func ttlCleanup() throws {
        var op = join(ttl: 10)
        let trace = try runJoinMarbles(&op, "La/1@0 W10 Rx/1@5 W11 Lb/1@12 W15", describe: describeJoin)
        // a lives while W <= 10, so x finds it; at W11 a is gone, x (kept while W <= 15) is not.
        #expect(trace == ["Rx/1@5 → a+x@5", "Lb/1@12 → b+x@12"])
        #expect(op.stateSize == 2)
        _ = try runJoinMarbles(&op, "W16")
        #expect(op.stateSize == 1)
        _ = try runJoinMarbles(&op, "W23")
        #expect(op.stateSize == 0)
    }

    @Test("a record already past its time-to-live is returned as late")
    func ttlLate() throws {
        var op = join(ttl: 10)
        let trace = try runJoinMarbles(&op, "Rx/1@25 W30 La/1@19 Lb/1@20", describe: describeJoin)
        #expect(trace == ["La/1@19 → late a@19", "Lb/1@20 → b+x@25"])
        #expect(op.lateRecords == 1)
    }

    @Test("with a time-to-live the state stays bounded over a long input")
    func boundedState() throws {
        var op = join(ttl: 50)
        var output = Batch<Op.Output>()
        var maxState = 0
        for t in stride(from: EventTime(0), to: 5_000, by: 1) {
            let row = JoinRow(name: "\(t)", key: Int(t % 3))
            try op.process(Batch(records: [t % 2 == 0 ? .left(row) : .right(row)], times: [t]), into: &output)
            if t % 10 == 0 { try op.onWatermark(t - 5, into: &output) }
            maxState = max(maxState, op.stateSize)
        }
        #expect(maxState <= 70)
        #expect(op.lateRecords == 0)
        try op.onWatermark(.endOfTime, into: &output)
        #expect(op.stateSize == 0)
    }
}
