import SluiceCore
import SluiceState

/// Joins each left record `a` with every right record `b` of the same key whose time lies in
/// `[a.time + lowerBound, a.time + upperBound]` (both ends inclusive, as in Flink), emitting
/// `join(a, b)` at time `max(a.time, b.time)` as soon as both are present.
///
/// ```swift
/// // Nexmark q4: bids of an auction while it is open. Auctions run for at most `maxDuration`,
/// // so the interval is fixed and the per-auction end is checked in the join function.
/// var op = IntervalJoinOperator<Int64, Auction, Bid, Winning>(
///     lowerBound: 0, upperBound: maxDuration,
///     leftKey: { $0.id }, rightKey: { $0.auction }
/// ) { auction, bid in bid.dateTime <= auction.expires ? Winning(auction, bid) : nil }
/// try op.process(Batch(records: [.left(auction), .right(bid)], times: [t0, t1]), into: &out)
/// ```
///
/// Nothing waits for the watermark: a result is emitted by whichever record of the pair
/// arrives second. The watermark only frees state: a left row is dropped once
/// `watermark > a.time + upperBound`, a right row once `watermark > b.time - lowerBound`; no
/// partner that respects the watermark can arrive after that. So the state holds about
/// `upperBound - lowerBound` of event time per key, plus the out-of-orderness.
///
/// Records behind the watermark are still joined with the rows that are kept. A record is late
/// (returned as `.lateLeft`/`.lateRight` and counted in `lateRecords`) when every partner it
/// could have had is gone: for a left record when
/// `watermark > a.time + upperBound + max(0, -lowerBound)`, for a right record when
/// `watermark > b.time - lowerBound + max(0, upperBound)`. With `lowerBound <= 0 <= upperBound`
/// both read `watermark > time + (upperBound - lowerBound)`. The `max` terms count the partners
/// still to come, which matter when the interval lies entirely on one side of `a.time`.
/// A record behind the watermark that is not late joins whatever kept rows match it, possibly
/// none; records that respect the watermark always find every partner.
///
/// Checkpoints save every key's kept rows of both sides (with their times) and the watermark,
/// when the key and both record types are `Codable` (`isSnapshotable`).
public struct IntervalJoinOperator<Key: PartitionKey, Left, Right, Joined>: BatchOperator {
    /// Left and right records, tagged.
    public typealias Input = JoinInput<Left, Right>
    /// Joined pairs, and the records that came too late to join.
    public typealias Output = JoinOutput<Joined, Left, Right>

    /// The earliest partner time, relative to the left record's time.
    public let lowerBound: Int64
    /// The latest partner time, relative to the left record's time.
    public let upperBound: Int64
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
    /// How many records were returned as late.
    public var lateRecords: Int { _lateRecords }

    /// The number of rows kept (both sides, all keys): bounded by the watermark.
    public var stateSize: Int { table.count }

    /// Creates an interval join of right times `a.time + lowerBound ... a.time + upperBound`.
    ///
    /// `join` returns the result of a pair, or nil to drop it. `lowerBound` must not exceed
    /// `upperBound`. `uniqueKeys` names the sides whose key is their id (see `JoinUniqueKeys`):
    /// the other side's records of a key are then not kept once its one record is here.
    @inlinable
    public init(lowerBound: Int64, upperBound: Int64, uniqueKeys: JoinUniqueKeys = [],
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right) throws -> Joined?) {
        precondition(lowerBound <= upperBound, "an interval join needs lowerBound <= upperBound")
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.leftKey = leftKey
        self.rightKey = rightKey
        self.join = join
        // Negating lowerBound would trap for Int64.min; saturate instead.
        table = JoinRowTable(leftRetention: upperBound,
                             rightRetention: JoinTimeMath.subtract(0, lowerBound), uniqueKeys: uniqueKeys)
    }

    /// As `init(lowerBound:upperBound:uniqueKeys:leftKey:rightKey:join:)`, with the bounds as
    /// durations.
    @inlinable
    public init(lowerBound: Duration, upperBound: Duration, uniqueKeys: JoinUniqueKeys = [],
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right) throws -> Joined?) {
        self.init(lowerBound: lowerBound.milliseconds, upperBound: upperBound.milliseconds, uniqueKeys: uniqueKeys,
                  leftKey: leftKey, rightKey: rightKey, join: join)
    }

    /// Joins each record with the kept rows of the other side, then keeps it for later partners.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        let lower = lowerBound, upper = upperBound, join = join
        // Partners still to come, beyond the record's own retention (see the type's docs).
        let leftGrace = lower < 0 ? JoinTimeMath.subtract(0, lower) : 0
        let rightGrace = max(upper, 0)
        for index in 0..<batch.count {
            let time = batch.times[index]
            switch batch.records[index] {
            case .left(let left):
                if _watermark > JoinTimeMath.add(JoinTimeMath.add(time, upper), leftGrace) {
                    _lateRecords += 1
                    output.append(.lateLeft(left), time: time)
                    continue
                }
                try table.addLeft(left, key: leftKey(left), time: time, watermark: _watermark,
                                  partnersFrom: JoinTimeMath.add(time, lower),
                                  through: JoinTimeMath.add(time, upper)) { right, rightTime in
                    if let joined = try join(left, right) {
                        output.append(.joined(joined), time: max(time, rightTime))
                    }
                }
            case .right(let right):
                if _watermark > JoinTimeMath.add(JoinTimeMath.subtract(time, lower), rightGrace) {
                    _lateRecords += 1
                    output.append(.lateRight(right), time: time)
                    continue
                }
                try table.addRight(right, key: rightKey(right), time: time, watermark: _watermark,
                                   partnersFrom: JoinTimeMath.subtract(time, upper),
                                   through: JoinTimeMath.subtract(time, lower)) { left, leftTime in
                    if let joined = try join(left, right) {
                        output.append(.joined(joined), time: max(time, leftTime))
                    }
                }
            }
        }
    }

    /// Frees the rows that no partner respecting `watermark` can match any more.
    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        guard watermark > _watermark else { return }
        _watermark = watermark
        table.expire(at: watermark)
    }

    /// Frees all state: results were emitted on arrival, so nothing is pending.
    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        table.removeAll()
    }
}

extension IntervalJoinOperator {
    /// Whether checkpoints can save this operator: its key and both record types are `Codable`
    /// (checked at run time).
    public static var isSnapshotable: Bool { JoinRowTable<Key, Left, Right>.isSnapshotable }

    /// The state for a checkpoint: a copy-on-write copy of the kept rows and the watermark, encoded
    /// only when the snapshot is serialised. `lateRecords` is not saved.
    public func snapshot() -> StateSnapshot { table.snapshot(.intervalJoin, watermark: _watermark) }

    /// Replaces the state with the saved rows of the keys in `saved.keyGroups`, before any input;
    /// the watermark becomes the smallest saved one (instances normally agree).
    public mutating func restore(_ saved: RestoredState) throws {
        if let watermark = try table.restore(saved, kind: .intervalJoin) { _watermark = watermark }
    }
}
