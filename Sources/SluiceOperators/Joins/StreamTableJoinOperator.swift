import SluiceCore
import SluiceState

/// Joins each stream record (`.left`) with the current row of its key in a table built from a
/// changelog (`.right`): the latest row per key, in arrival order, optionally preloaded.
///
/// ```swift
/// // Enrich bids with their auction, the auctions loaded from a file at start.
/// var op = StreamTableJoinOperator<Int64, Bid, Auction, EnrichedBid>.inner(
///     recordKey: { $0.auction }, rowKey: { $0.id }, initialTable: auctions.map { ($0.id, $0) }
/// ) { bid, auction in EnrichedBid(bid, auction) }
/// ```
///
/// A `.right(row)` upserts the row of its key, or deletes it when `isDelete(row)` holds.
/// A `.left(record)` is joined at arrival with the row its key has then, and the result keeps the
/// record's time; later table changes do not revise earlier results (a lookup join, not a
/// versioned one). Event time plays no part, so nothing is late and watermarks change nothing.
/// An inner join drops a record whose key has no row and counts it in `unmatchedRecords`;
/// a left outer join calls `join` with a nil row instead.
///
/// Checkpoints save the table when the key and row types are `Codable` (`isSnapshotable`). With
/// an `initialTable`, every instance starts with all of it (also the rows of keys it does not own),
/// so a checkpoint saves only what the changelog changed (rows and deletions), and a restored
/// instance, built with its `initialTable`, applies those changes for its keys.
public struct StreamTableJoinOperator<Key: PartitionKey, Record, TableRow, Output>: BatchOperator {
    /// Stream records (`.left`) and table changes (`.right`), tagged.
    public typealias Input = JoinInput<Record, TableRow>

    /// What happens to a stream record whose key has no row.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// The record is dropped (and counted in `unmatchedRecords`).
        case inner
        /// The record is joined with a nil row.
        case leftOuter
    }

    /// Whether records without a row are dropped or joined with nil.
    public let kind: Kind
    /// The join key of a stream record.
    public let recordKey: (Record) -> Key
    /// The key of a table row.
    public let rowKey: (TableRow) -> Key
    /// Whether a changelog row deletes its key instead of setting it; nil when rows only upsert.
    public let isDelete: ((TableRow) -> Bool)?
    /// Builds the result for a record and its key's row (nil only in a left outer join);
    /// returning nil drops the record.
    public let join: (Record, TableRow?) throws -> Output?

    // Internal rather than private, and `@usableFromInline`, so that the `@inlinable` batch methods
    // can use them: a pipeline module then specialises the whole per-record path for its types.
    @usableFromInline var table = KeyedStateTable<Key, TableRow>()
    /// Whether the table started from an `initialTable`: then `changes` records what the
    /// changelog did to each key (nil: deleted), which is what a checkpoint saves.
    @usableFromInline var tracksChanges = false
    @usableFromInline var changes = KeyedStateTable<Key, TableRow?>()
    @usableFromInline var _unmatchedRecords = 0
    /// How many stream records an inner join dropped for want of a row.
    public var unmatchedRecords: Int { _unmatchedRecords }

    /// The number of rows in the table.
    public var stateSize: Int { table.count }

    /// Creates a stream–table join of the given kind; `join` gets nil for a missing row (only
    /// ever in a left outer join). `initialTable` is applied in order before any input, with
    /// `isDelete` rows deleting, like the changelog.
    ///
    /// Inlinable so that loading a large `initialTable` runs specialised, like the changelog.
    @inlinable
    public init(kind: Kind,
                recordKey: @escaping (Record) -> Key, rowKey: @escaping (TableRow) -> Key,
                isDelete: ((TableRow) -> Bool)? = nil,
                initialTable: [(Key, TableRow)] = [],
                join: @escaping (Record, TableRow?) throws -> Output?) {
        self.kind = kind
        self.recordKey = recordKey
        self.rowKey = rowKey
        self.isDelete = isDelete
        self.join = join
        table = KeyedStateTable(minimumCapacity: initialTable.count)
        for (key, row) in initialTable { apply(row, key: key) }
        tracksChanges = !initialTable.isEmpty
    }

    /// An inner join: records whose key has no row are dropped and counted.
    ///
    /// Inlinable because the wrapping closure runs once per record: it should be specialised too.
    @inlinable
    public static func inner(recordKey: @escaping (Record) -> Key, rowKey: @escaping (TableRow) -> Key,
                             isDelete: ((TableRow) -> Bool)? = nil,
                             initialTable: [(Key, TableRow)] = [],
                             join: @escaping (Record, TableRow) throws -> Output?) -> Self {
        Self(kind: .inner, recordKey: recordKey, rowKey: rowKey, isDelete: isDelete,
             initialTable: initialTable) { record, row in
            // The operator never calls an inner join's function without a row.
            guard let row else { return nil }
            return try join(record, row)
        }
    }

    /// A left outer join: records whose key has no row are joined with nil.
    public static func leftOuter(recordKey: @escaping (Record) -> Key, rowKey: @escaping (TableRow) -> Key,
                                 isDelete: ((TableRow) -> Bool)? = nil,
                                 initialTable: [(Key, TableRow)] = [],
                                 join: @escaping (Record, TableRow?) throws -> Output?) -> Self {
        Self(kind: .leftOuter, recordKey: recordKey, rowKey: rowKey, isDelete: isDelete,
             initialTable: initialTable, join: join)
    }

    /// The current row of `key`, if any.
    public func row(for key: Key) -> TableRow? { table[key] }

    /// Applies table changes and joins stream records, in batch order.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        for index in 0..<batch.count {
            switch batch.records[index] {
            case .left(let record):
                let row = table[recordKey(record)]
                if row == nil, kind == .inner {
                    _unmatchedRecords += 1
                    continue
                }
                if let joined = try join(record, row) {
                    output.append(joined, time: batch.times[index])
                }
            case .right(let row):
                apply(row, key: rowKey(row))
            }
        }
    }

    /// Upserts `row` as the row of `key`, or deletes the key's row for a delete marker.
    @inlinable
    mutating func apply(_ row: TableRow, key: Key) {
        if let isDelete, isDelete(row) {
            table.removeValue(forKey: key)
            if tracksChanges { changes.update(key, default: { nil }) { $0 = nil } }
        } else {
            table.update(key, default: { row }) { $0 = row }
            if tracksChanges { changes.update(key, default: { row }) { $0 = row } }
        }
    }
}

// Layout of a snapshot (after the kind byte and version): the entry count (varint), then each
// key, a presence byte and, if 1, its row. Without an initial table the entries are the table's
// rows; with one, the changelog's changes (0: the key's row was deleted).
extension StreamTableJoinOperator {
    /// Whether checkpoints can save this operator: its key and row types are `Codable` (checked
    /// at run time).
    public static var isSnapshotable: Bool { SnapshotValueCoder<Key>.isCodable && SnapshotValueCoder<TableRow>.isCodable }

    /// The state for a checkpoint: a copy-on-write copy of the table (or, with an initial table,
    /// of the changelog's changes), encoded only when the snapshot is serialised.
    /// `unmatchedRecords` is not saved.
    public func snapshot() -> StateSnapshot {
        let table = table, changes = changes, tracksChanges = tracksChanges
        return StateSnapshot {
            let keyCoder = try SnapshotValueCoder<Key>("join key")
            let rowCoder = try SnapshotValueCoder<TableRow>("table row")
            var writer = SnapshotWriter()
            OperatorSnapshotFormat.writeHeader(.streamTableJoin, into: &writer)
            func entry(_ key: Key, _ row: TableRow?) throws {
                try keyCoder.encode(key, &writer)
                writer.write(row != nil)
                if let row { try rowCoder.encode(row, &writer) }
            }
            if tracksChanges {
                writer.writeCount(changes.count)
                try changes.forEach(entry)
                return (writer.take(), changes.count)
            }
            writer.writeCount(table.count)
            try table.forEach(entry)
            return (writer.take(), table.count)
        }
    }

    /// Applies the saved entries of the keys in `saved.keyGroups` to a fresh instance (built with
    /// the same `initialTable`, if any), before any input.
    public mutating func restore(_ saved: RestoredState) throws {
        let keyCoder = try SnapshotValueCoder<Key>("join key")
        let rowCoder = try SnapshotValueCoder<TableRow>("table row")
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            try OperatorSnapshotFormat.readHeader(.streamTableJoin, from: &reader)
            let count = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<count {
                let key = try keyCoder.decode(&reader)
                let row = try reader.read(Bool.self) ? try rowCoder.decode(&reader) : nil
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)) else { continue }
                if let row {
                    table.update(key, default: { row }) { $0 = row }
                } else {
                    table.removeValue(forKey: key)
                }
                if tracksChanges { changes.update(key, default: { row }) { $0 = row } }
            }
            try reader.expectEnd()
        }
    }
}
