import SluiceCore
import SluiceState

/// The state shared by the joins that emit as soon as both rows are present (interval and
/// unbounded joins): per key, the rows of each side ordered by time, each kept until the
/// watermark passes its time plus a retention, and a timer queue that finds the keys a watermark
/// makes due.
///
/// Rows live in a `KeyedStateTable` like every other keyed state, so that they can be split by
/// key group; the timer queue is derived from the rows (the earliest row of each side) and
/// could be rebuilt from them.
@usableFromInline struct JoinRowTable<Key: PartitionKey, Left, Right> {
    /// The rows of one key.
    @usableFromInline struct Rows {
        // Set in `init` rather than by initial values, which are not inlinable for a non-frozen type.
        @usableFromInline var lefts: JoinTimeBuffer<Left>
        @usableFromInline var rights: JoinTimeBuffer<Right>
        /// The due time of this key's live timer entry; other entries for the key are stale.
        @usableFromInline var timer: EventTime
        /// The latest due time of this key's entries still in the queue (`.min`: none is known).
        /// A key that comes due again at that time needs no new entry: without this, every
        /// burst of short-lived rows (q4's bids) left the key one more entry at its long-lived
        /// rows' due time, and the queue grew with them.
        @usableFromInline var queued: EventTime

        @inlinable init() {
            lefts = JoinTimeBuffer()
            rights = JoinTimeBuffer()
            timer = .max
            queued = .min
        }

        /// Makes `due` the key's timer; returns whether the queue needs an entry for it.
        @inlinable mutating func schedule(_ due: EventTime) -> Bool {
            timer = due
            guard due != queued else { return false }
            queued = Swift.max(queued, due)
            return true
        }
    }

    /// A left row is kept while `watermark <= time + leftRetention`.
    @usableFromInline let leftRetention: Int64
    /// A right row is kept while `watermark <= time + rightRetention`.
    @usableFromInline let rightRetention: Int64
    /// Whether each side is declared to carry one record per key: the other side's rows of a
    /// key are not kept once that side's record is here. Two flags rather than the option set,
    /// whose static members are read through an accessor call per record.
    @usableFromInline let leftIsUnique: Bool
    @usableFromInline let rightIsUnique: Bool
    // Internal rather than private, and `@usableFromInline`, so that the `@inlinable` methods below
    // (and the operators' batch methods) specialise in the pipeline's module.
    @usableFromInline var rows = KeyedStateTable<Key, Rows>()
    @usableFromInline var timers = JoinTimerQueue<Key>()
    /// The number of rows kept, over both sides and all keys.
    @usableFromInline var count = 0

    @inlinable init(leftRetention: Int64, rightRetention: Int64, uniqueKeys: JoinUniqueKeys = []) {
        self.leftRetention = leftRetention
        self.rightRetention = rightRetention
        leftIsUnique = uniqueKeys.contains(.left)
        rightIsUnique = uniqueKeys.contains(.right)
    }

    /// Calls `partner` for every right row of `key` with a time in `lower...upper`, then keeps
    /// `record` if the watermark has not yet passed its retention (otherwise no later right
    /// record could join it, so keeping it would only cost memory) and, with unique right keys,
    /// the key's right record has not come yet (it was the only partner there could be).
    /// With unique left keys, a second left record of a kept key throws `DuplicateJoinKeyError`,
    /// and the right rows that waited for this one are dropped: no other left record can come.
    @inlinable
    mutating func addLeft(_ record: Left, key: Key, time: EventTime, watermark: EventTime,
                          partnersFrom lower: EventTime, through upper: EventTime,
                          _ partner: (Right, EventTime) throws -> Void) throws {
        let unique = leftIsUnique, partnerUnique = rightIsUnique
        let keepUntil = JoinTimeMath.add(time, leftRetention)
        guard watermark <= keepUntil else {
            try rows.withValue(forKey: key) { rows in
                if unique, !rows.lefts.isEmpty { throw DuplicateJoinKeyError(side: "left", key: "\(key)") }
                try rows.rights.forEach(from: lower, through: upper, partner)
            }
            return
        }
        // The first watermark that must drop the row: the key's timer if it is the earliest.
        let due = JoinTimeMath.add(keepUntil, 1)
        let (change, register) = try rows.update(key, default: Rows.init) { rows -> (Int, Bool) in
            let (change, kept) = try Self.admit(record, time: time, into: &rows.lefts, probing: &rows.rights,
                                                from: lower, through: upper, unique: unique, partnerUnique: partnerUnique,
                                                side: "left", key: key, partner)
            return (change, kept && due < rows.timer && rows.schedule(due))
        }
        count += change
        if register { timers.push(due, key) }
    }

    /// The mirror image of `addLeft(_:key:time:watermark:partnersFrom:through:_:)`.
    @inlinable
    mutating func addRight(_ record: Right, key: Key, time: EventTime, watermark: EventTime,
                           partnersFrom lower: EventTime, through upper: EventTime,
                           _ partner: (Left, EventTime) throws -> Void) throws {
        let unique = rightIsUnique, partnerUnique = leftIsUnique
        let keepUntil = JoinTimeMath.add(time, rightRetention)
        guard watermark <= keepUntil else {
            try rows.withValue(forKey: key) { rows in
                if unique, !rows.rights.isEmpty { throw DuplicateJoinKeyError(side: "right", key: "\(key)") }
                try rows.lefts.forEach(from: lower, through: upper, partner)
            }
            return
        }
        let due = JoinTimeMath.add(keepUntil, 1)
        let (change, register) = try rows.update(key, default: Rows.init) { rows -> (Int, Bool) in
            let (change, kept) = try Self.admit(record, time: time, into: &rows.rights, probing: &rows.lefts,
                                                from: lower, through: upper, unique: unique, partnerUnique: partnerUnique,
                                                side: "right", key: key, partner)
            return (change, kept && due < rows.timer && rows.schedule(due))
        }
        count += change
        if register { timers.push(due, key) }
    }

    /// One side's record meeting its key's rows, for either side: `partner` sees the other
    /// side's rows in `lower...upper`, then the record goes into `own` unless the other side is
    /// unique and its record is here. With `unique`, a record already in `own` makes this one a
    /// duplicate, and the other side's rows are dropped after the probe. Returns the change in
    /// the number of rows and whether the record was kept.
    @inlinable
    static func admit<Own, Other>(_ record: Own, time: EventTime, into own: inout JoinTimeBuffer<Own>,
                                  probing other: inout JoinTimeBuffer<Other>,
                                  from lower: EventTime, through upper: EventTime,
                                  unique: Bool, partnerUnique: Bool, side: String, key: Key,
                                  _ partner: (Other, EventTime) throws -> Void) throws -> (change: Int, kept: Bool) {
        if unique, !own.isEmpty { throw DuplicateJoinKeyError(side: side, key: "\(key)") }
        other.settle()
        try other.forEach(from: lower, through: upper, partner)
        let partnerHere = partnerUnique && !other.isEmpty
        let dropped = unique ? other.removeAll() : 0
        guard !partnerHere else { return (-dropped, false) }
        own.insert(record, time: time)
        return (1 - dropped, true)
    }

    /// Drops every row whose retention the watermark has passed, visiting only the keys whose
    /// earliest row is due.
    @inlinable
    mutating func expire(at watermark: EventTime) {
        let leftCutoff = JoinTimeMath.subtract(watermark, leftRetention)
        let rightCutoff = JoinTimeMath.subtract(watermark, rightRetention)
        let leftRetention = leftRetention, rightRetention = rightRetention
        while let (time, key) = timers.popDue(at: watermark) {
            var removed = 0
            var empty = false
            let next: EventTime? = rows.update(key, default: Rows.init) { rows in
                if rows.queued == time { rows.queued = .min }
                // A stale entry: the key was re-registered earlier, or removed and re-created.
                guard rows.timer == time else {
                    empty = rows.lefts.isEmpty && rows.rights.isEmpty
                    return nil
                }
                removed += rows.lefts.removeAll(before: leftCutoff)
                removed += rows.rights.removeAll(before: rightCutoff)
                let leftDue = rows.lefts.earliest.map { JoinTimeMath.add(JoinTimeMath.add($0, leftRetention), 1) }
                let rightDue = rows.rights.earliest.map { JoinTimeMath.add(JoinTimeMath.add($0, rightRetention), 1) }
                let due = min(leftDue ?? .max, rightDue ?? .max)
                empty = leftDue == nil && rightDue == nil
                // A saturated due time can never pass; re-pushing it would pop again at once.
                guard due > watermark else {
                    rows.timer = due
                    return nil
                }
                return rows.schedule(due) ? due : nil
            }
            count -= removed
            if empty {
                rows.removeValue(forKey: key)
            } else if let next {
                timers.push(next, key)
            }
        }
    }

    /// Drops every row and timer (once, at the end of input: not worth inlining).
    @usableFromInline
    mutating func removeAll() {
        rows = KeyedStateTable()
        timers.removeAll()
        count = 0
    }
}
