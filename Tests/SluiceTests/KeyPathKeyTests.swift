import Testing
import SluiceCore
@testable import SluiceDSL
import SluiceOperators
import SluiceRuntime

/// A stream keyed by a key path reads stored properties at their byte offsets (its key, its
/// hash, and a join's routing of both sides): each must give what the key path gives, so that
/// records land in the same key groups as with a key closure, and checkpoints stay valid.
@Suite("Keys read by key path")
struct KeyPathKeyTests {
    struct Details: Sendable {
        var code: Int64
        var label: String
    }

    struct Row: Sendable {
        var name: String
        var flag: Bool
        var id: Int64
        var details: Details
        var doubled: Int64 { id * 2 }
    }

    struct Order: Sendable {
        var note: String
        var rowID: Int64
    }

    static let rows: [Row] = (0..<600).map { (n: Int) -> Row in
        let id = Int64(n * 7919 % 1000) - 300
        let details = Details(code: Int64(n % 11) - 5, label: "label-\(n % 13)")
        return Row(name: "row-\(n % 37)", flag: n % 3 == 0, id: id, details: details)
    }

    static let orders: [Order] = (0..<400).map { (n: Int) -> Order in
        Order(note: "order \(n)", rowID: Int64(n * 104_729 % 1000) - 300)
    }

    static func stream<Record>(of _: Record.Type) -> DataStream<Record> {
        DataStream(graph: LogicalGraph(), node: TypedNode(label: "input"))
    }

    /// `keyed(by: path)` against the key path itself, read the slow way.
    static func expectSameKeys<Key: PartitionKey & Equatable>(_ path: KeyPath<Row, Key>, readAtOffset: Bool) {
        let keyed = stream(of: Row.self).keyed(by: path)
        #expect((keyed.keyOffset != nil) == readAtOffset)
        for row in rows {
            let expected = row[keyPath: path]
            #expect(keyed.key(row) == expected)
            #expect(keyed.keyHash(row) == expected.stableHash)
        }
    }

    @Test("a stored property's key and hash are the key path's, read at its offset")
    func storedProperties() {
        Self.expectSameKeys(\.id, readAtOffset: true)
        Self.expectSameKeys(\.name, readAtOffset: true)
        Self.expectSameKeys(\.flag, readAtOffset: true)
        Self.expectSameKeys(\.details.code, readAtOffset: true)
        Self.expectSameKeys(\.details.label, readAtOffset: true)
    }

    @Test("a computed property is read through the key path")
    func computedProperty() {
        Self.expectSameKeys(\.doubled, readAtOffset: false)
    }

    @Test("a reinterpreted stream keyed by a key path reads its key at the offset too")
    func reinterpreted() {
        let keyed = Self.stream(of: Row.self).reinterpretAsKeyed(by: \.details.code)
        #expect(keyed.isAlreadyKeyed)
        #expect(keyed.keyOffset != nil)
        for row in Self.rows {
            #expect(keyed.keyHash(row) == row.details.code.stableHash)
        }
    }

    /// Splits rows and orders, tagged as join inputs, over `consumers` and checks that each
    /// record went to the owner of its key's group, in order.
    static func expectRoutedByKey(_ partitioner: RecordPartitioner<JoinInput<Row, Order>>, consumers: Int) {
        let keyGroups = KeyGroups()
        let owners = keyGroups.ownerTable(parallelism: consumers)
        var inputs: [JoinInput<Row, Order>] = []
        for n in 0..<max(rows.count, orders.count) {
            if n < rows.count { inputs.append(.left(rows[n])) }
            if n < orders.count { inputs.append(.right(orders[n])) }
        }
        func key(_ input: JoinInput<Row, Order>) -> Int64 {
            switch input {
            case .left(let row): row.id
            case .right(let order): order.rowID
            }
        }
        let batch = Batch(records: ContiguousArray(inputs), times: ContiguousArray(inputs.indices.map { EventTime($0) }))
        var parts = [Batch<JoinInput<Row, Order>>](repeating: Batch(), count: consumers)
        parts.withUnsafeMutableBufferPointer { partitioner.split(batch, owners, keyGroups, $0) }
        for consumer in 0..<consumers {
            let expected = inputs.indices.filter { owners[keyGroups.keyGroup(for: key(inputs[$0]))] == consumer }
            #expect(parts[consumer].times.map { Int($0) } == expected)
            #expect(parts[consumer].records.map(key) == expected.map { key(inputs[$0]) })
        }
        #expect(parts.map(\.count).reduce(0, +) == inputs.count)
    }

    @Test("a join routes both sides by their key, read at offsets or through closures", arguments: [1, 2, 3])
    func joinRouting(consumers: Int) {
        let rows = Self.stream(of: Row.self), orders = Self.stream(of: Order.self)
        let byPaths = rows.keyed(by: \.id), ordersByPath = orders.keyed(by: \.rowID)
        #expect(byPaths.keyOffset != nil && ordersByPath.keyOffset != nil)
        Self.expectRoutedByKey(byPaths.joinInputPartitioner(ordersByPath), consumers: consumers)
        Self.expectRoutedByKey(rows.keyed { $0.id }.joinInputPartitioner(ordersByPath), consumers: consumers)
        Self.expectRoutedByKey(byPaths.joinInputPartitioner(orders.keyed { $0.rowID }), consumers: consumers)
    }
}
