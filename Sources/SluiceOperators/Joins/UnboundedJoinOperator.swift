import SluiceCore
import SluiceState

/// A regular (unwindowed) inner join: keeps every row of both sides per key and, whenever a
/// record arrives, emits `join` with each kept row of the other side of its key, at time
/// `max(left time, right time)`.
///
/// ```swift
/// // Nexmark q3: auctions (left) with their sellers (right), keyed by the person id.
/// var op = UnboundedJoinOperator<Int64, Auction, Person, Suggestion>(
///     leftKey: { $0.seller }, rightKey: { $0.id }
/// ) { auction, person in Suggestion(person.name, person.city, person.state, auction.id) }
/// ```
///
/// Without a time-to-live the state grows with the input, which is the semantics of a regular
/// join (every past row may still find a partner). With `ttl`, a row is dropped once
/// `watermark > row time + ttl`, which bounds the state to about `ttl` of event time: pairs
/// whose times differ by at most `ttl` are still all found (for records that respect the
/// watermark), pairs further apart may or may not be. A record that arrives already past its
/// time-to-live joins nothing and is returned as late (and counted in `lateRecords`), so it is
/// not lost silently.
///
/// Checkpoints save every key's rows of both sides (with their times) and the watermark, when the
/// key and both record types are `Codable` (`isSnapshotable`).
public struct UnboundedJoinOperator<Key: PartitionKey, Left, Right, Joined>: BatchOperator {
    /// Left and right records, tagged.
    public typealias Input = JoinInput<Left, Right>
    /// Joined pairs, and (with a `ttl`) the records that came too late to join.
    public typealias Output = JoinOutput<Joined, Left, Right>

    /// How long (event time) a row is kept after its own time; nil keeps rows forever.
    public let ttl: Int64?
    /// The join key of a left record.
    public let leftKey: (Left) -> Key
    /// The join key of a right record.
    public let rightKey: (Right) -> Key
    /// Builds the result of a matching pair; nil drops the pair (a further join condition).
    public let join: (Left, Right) throws -> Joined?

    // Internal rather than private, and `@usableFromInline`, so that the `@inlinable` batch methods
    // can use them: a pipeline module then specialises the whole per-record path for its types.
    @usableFromInline var table: JoinRowTable<Key, Left, Right>
    @usableFromInline var _watermark: EventTime = .noTime
    @usableFromInline var _lateRecords = 0
    /// The latest watermark seen.
    public var watermark: EventTime { _watermark }
    /// How many records were returned as late (only possible with a `ttl`).
    public var lateRecords: Int { _lateRecords }

    /// The number of rows kept (both sides, all keys).
    public var stateSize: Int { table.count }

    /// Creates a regular join; `ttl` (milliseconds of event time, not negative) bounds the state.
    /// `uniqueKeys` names the sides whose key is their id (see `JoinUniqueKeys`): the other
    /// side's records of a key are then not kept once its one record is here, so a join of
    /// records with their unique partner keeps only the partners and the records still waiting.
    @inlinable
    public init(ttl: Int64? = nil, uniqueKeys: JoinUniqueKeys = [],
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right) throws -> Joined?) {
        precondition((ttl ?? 0) >= 0, "a time-to-live must not be negative")
        self.ttl = ttl
        self.leftKey = leftKey
        self.rightKey = rightKey
        self.join = join
        // Int64.max saturates every `time + retention` to endOfTime: rows are never dropped.
        let retention = ttl ?? .max
        table = JoinRowTable(leftRetention: retention, rightRetention: retention, uniqueKeys: uniqueKeys)
    }

    /// As `init(ttl:uniqueKeys:leftKey:rightKey:join:)`, with the time-to-live as a duration.
    @inlinable
    public init(ttl: Duration, uniqueKeys: JoinUniqueKeys = [],
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right) throws -> Joined?) {
        self.init(ttl: ttl.milliseconds as Int64?, uniqueKeys: uniqueKeys, leftKey: leftKey, rightKey: rightKey, join: join)
    }

    /// Joins each record with every kept row of the other side of its key, then keeps it.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        let join = join
        let retention = ttl ?? .max
        for index in 0..<batch.count {
            let time = batch.times[index]
            // Every kept row is within its time-to-live, so a record only has to check its own.
            let late = _watermark > JoinTimeMath.add(time, retention)
            switch batch.records[index] {
            case .left(let left):
                if late {
                    _lateRecords += 1
                    output.append(.lateLeft(left), time: time)
                    continue
                }
                try table.addLeft(left, key: leftKey(left), time: time, watermark: _watermark,
                                  partnersFrom: .min, through: .max) { right, rightTime in
                    if let joined = try join(left, right) {
                        output.append(.joined(joined), time: max(time, rightTime))
                    }
                }
            case .right(let right):
                if late {
                    _lateRecords += 1
                    output.append(.lateRight(right), time: time)
                    continue
                }
                try table.addRight(right, key: rightKey(right), time: time, watermark: _watermark,
                                   partnersFrom: .min, through: .max) { left, leftTime in
                    if let joined = try join(left, right) {
                        output.append(.joined(joined), time: max(time, leftTime))
                    }
                }
            }
        }
    }

    /// Drops the rows whose time-to-live `watermark` has passed (nothing without a `ttl`).
    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        guard watermark > _watermark else { return }
        _watermark = watermark
        if ttl != nil { table.expire(at: watermark) }
    }

    /// Frees all state: the input ended, so no row can find another partner.
    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        table.removeAll()
    }
}

extension UnboundedJoinOperator {
    /// Whether checkpoints can save this operator: its key and both record types are `Codable`
    /// (checked at run time).
    public static var isSnapshotable: Bool { JoinRowTable<Key, Left, Right>.isSnapshotable }

    /// The state for a checkpoint: a copy-on-write copy of the rows and the watermark, encoded only
    /// when the snapshot is serialised. `lateRecords` is not saved.
    public func snapshot() -> StateSnapshot { table.snapshot(.unboundedJoin, watermark: _watermark) }

    /// Replaces the state with the saved rows of the keys in `saved.keyGroups`, before any input;
    /// the watermark becomes the smallest saved one (instances normally agree).
    public mutating func restore(_ saved: RestoredState) throws {
        if let watermark = try table.restore(saved, kind: .unboundedJoin) { _watermark = watermark }
    }
}
