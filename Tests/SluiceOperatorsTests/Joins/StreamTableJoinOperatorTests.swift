import Testing
import SluiceCore
import SluiceOperators

@Suite("StreamTableJoinOperator")
struct StreamTableJoinOperatorTests {
    typealias Op = StreamTableJoinOperator<Int, JoinRow, JoinRow, JoinPair>

    /// Table rows named `~` delete their key.
    private static func isDelete(_ row: JoinRow) -> Bool { row.name == "~" }

    private func inner(initialTable: [(Int, JoinRow)] = []) -> Op {
        .inner(recordKey: \.key, rowKey: \.key, isDelete: Self.isDelete, initialTable: initialTable,
               join: pairNames)
    }

    private func leftOuter(initialTable: [(Int, JoinRow)] = []) -> Op {
        .leftOuter(recordKey: \.key, rowKey: \.key, isDelete: Self.isDelete, initialTable: initialTable) {
            JoinPair(left: $0.name, right: $1?.name ?? "∅")
        }
    }

    @Test("a record joins the latest row of its key at arrival, keeping its own time")
    func latestRow() throws {
        var op = inner()
        let trace = try runJoinMarbles(&op, "Ra/1@0 Lx/1@5 Ly/2@6 Rb/1@7 Lz/1@8")
        #expect(trace == ["Lx/1@5 → x+a@5", "Lz/1@8 → z+b@8"])
        #expect(op.unmatchedRecords == 1)
        #expect(op.stateSize == 1)
        #expect(op.row(for: 1)?.name == "b")
    }

    @Test("arrival order decides, not event time; watermarks change nothing")
    func arrivalOrder() throws {
        var op = inner()
        // b@1 arrives after a@50, so it is the current row even though it is older.
        let trace = try runJoinMarbles(&op, "Ra/1@50 Rb/1@1 W100 Lx/1@20 W∞")
        #expect(trace == ["Lx/1@20 → x+b@20"])
    }

    @Test("a left outer join passes a nil row for a key without one")
    func leftOuterJoin() throws {
        var op = leftOuter()
        let trace = try runJoinMarbles(&op, "Lx/1@1 Ra/1@2 Lz/1@3")
        #expect(trace == ["Lx/1@1 → x+∅@1", "Lz/1@3 → z+a@3"])
        #expect(op.unmatchedRecords == 0)
    }

    @Test("a delete marker removes the key's row", arguments: [Op.Kind.inner, .leftOuter])
    func deleteMarker(kind: Op.Kind) throws {
        var op = kind == .inner ? inner() : leftOuter()
        let trace = try runJoinMarbles(&op, "Ra/1@0 Lx/1@1 R~/1@2 Ly/1@3 R~/2@4")
        #expect(trace == (kind == .inner ? ["Lx/1@1 → x+a@1"] : ["Lx/1@1 → x+a@1", "Ly/1@3 → y+∅@3"]))
        #expect(op.stateSize == 0)
        #expect(op.unmatchedRecords == (kind == .inner ? 1 : 0))
    }

    @Test("a preloaded table is in place before the first record, and the changelog updates it")
    func initialTable() throws {
        let rows = [(1, JoinRow(name: "p", key: 1)), (2, JoinRow(name: "q", key: 2)),
                    (1, JoinRow(name: "p2", key: 1)), (3, JoinRow(name: "s", key: 3)), (3, JoinRow(name: "~", key: 3))]
        var op = inner(initialTable: rows)
        #expect(op.stateSize == 2)
        let trace = try runJoinMarbles(&op, "Lx/1@1 Ly/2@2 Lw/3@3 Rr/2@4 Lz/2@5")
        #expect(trace == ["Lx/1@1 → x+p2@1", "Ly/2@2 → y+q@2", "Lz/2@5 → z+r@5"])
        #expect(op.unmatchedRecords == 1)
    }

    @Test("the join function may drop a record")
    func filter() throws {
        var op = StreamTableJoinOperator<Int, JoinRow, JoinRow, String>.inner(
            recordKey: \.key, rowKey: \.key
        ) { record, row in record.name == "skip" ? nil : "\(record.name)+\(row.name)" }
        let trace = try runJoinMarbles(&op, "Ra/1@0 Lskip/1@1 Lx/1@2")
        #expect(trace == ["Lx/1@2 → x+a@2"])
        #expect(op.unmatchedRecords == 0)
    }
}
