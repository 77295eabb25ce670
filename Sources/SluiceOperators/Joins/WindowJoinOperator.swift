import SluiceCore
import SluiceState

/// Joins the left and right records of a key that fall in the same window: when the watermark
/// reaches a window's `maxTimestamp` it emits `join(left, right)` for every pair of that key and
/// window, at time `maxTimestamp`, and frees the window.
///
/// ```swift
/// // Nexmark q8: people who opened an auction in the 10 s window they registered in.
/// var op = WindowJoinOperator<Int64, Person, Auction, NewSeller>(
///     window: .tumbling(.seconds(10)), leftKey: { $0.id }, rightKey: { $0.seller }
/// ) { person, _, window in NewSeller(windowStart: window.start, id: person.id, name: person.name) }
/// ```
///
/// Windows are tumbling or sliding; a record of a sliding window is kept once per window that
/// contains it, because each window's pairs are emitted separately anyway. A record whose
/// windows have all fired already (the last one's `maxTimestamp` is at or before the watermark)
/// joins nothing: it is returned as `.lateLeft`/`.lateRight` and counted in `lateRecords`.
/// A record with some windows still open joins in those only.
///
/// Checkpoints save every key's open windows with their rows and the watermark, when the key and
/// both record types are `Codable` (`isSnapshotable`).
public struct WindowJoinOperator<Key: PartitionKey, Left, Right, Joined>: BatchOperator {
    /// Left and right records, tagged.
    public typealias Input = JoinInput<Left, Right>
    /// Joined pairs, and the records that came too late for every window.
    public typealias Output = JoinOutput<Joined, Left, Right>

    /// The records of one key in one window, until the window fires.
    @usableFromInline struct WindowRows {
        @usableFromInline let window: Window
        @usableFromInline var lefts: ContiguousArray<Left>
        @usableFromInline var rights: ContiguousArray<Right>

        // Sets every field: initial values are not inlinable for a non-frozen type.
        @inlinable init(window: Window) {
            self.window = window
            lefts = []
            rights = []
        }
    }

    /// The windows records are joined in.
    public let assigner: WindowAssigner
    /// The join key of a left record.
    public let leftKey: (Left) -> Key
    /// The join key of a right record.
    public let rightKey: (Right) -> Key
    /// Builds the result of a pair in a window; nil drops the pair (a further join condition).
    public let join: (Left, Right, Window) throws -> Joined?

    // Internal rather than private, and `@usableFromInline`, so that the `@inlinable` batch methods
    // can use them: a pipeline module then specialises the whole per-record path for its types.
    @usableFromInline let size: Int64
    @usableFromInline let slide: Int64
    /// Per key, its open windows (a handful: one per overlapping window, in no order).
    @usableFromInline var windows = KeyedStateTable<Key, ContiguousArray<WindowRows>>()
    /// One entry per open (key, window), due at the window's `maxTimestamp`.
    @usableFromInline var timers = JoinTimerQueue<Key>()
    @usableFromInline var _watermark: EventTime = .noTime
    @usableFromInline var _lateRecords = 0
    @usableFromInline var _stateSize = 0
    /// The latest watermark seen.
    public var watermark: EventTime { _watermark }
    /// How many records were returned as late.
    public var lateRecords: Int { _lateRecords }
    /// The number of rows kept, counting a record once per open window that holds it.
    public var stateSize: Int { _stateSize }

    /// Creates a window join whose `join` also sees the window (for its bounds, say).
    ///
    /// `window` must be tumbling or sliding: session windows would have to merge.
    public init(window: WindowAssigner,
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right, Window) throws -> Joined?) {
        switch window {
        case .tumbling(let size):
            precondition(size > 0, "a window needs a positive size")
            self.size = size
            slide = size
        case .sliding(let size, let slide):
            precondition(size > 0 && slide > 0, "a window needs a positive size and slide")
            self.size = size
            self.slide = slide
        case .session:
            preconditionFailure("a window join needs tumbling or sliding windows, not sessions")
        }
        assigner = window
        self.leftKey = leftKey
        self.rightKey = rightKey
        self.join = join
    }

    /// Creates a window join whose `join` sees only the two records.
    ///
    /// Inlinable because the wrapping closure runs once per pair: it should be specialised too.
    @inlinable
    public init(window: WindowAssigner,
                leftKey: @escaping (Left) -> Key, rightKey: @escaping (Right) -> Key,
                join: @escaping (Left, Right) throws -> Joined?) {
        self.init(window: window, leftKey: leftKey, rightKey: rightKey) { left, right, _ in
            try join(left, right)
        }
    }

    /// Adds each record to its key's open windows; returns records with no open window as late.
    @inlinable
    public mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws {
        for index in 0..<batch.count {
            let time = batch.times[index]
            // The window with the latest end holding `time` starts at the slide boundary at or
            // before it; earlier windows start a slide apart and fire earlier.
            let lastStart = WindowAssigner.alignedStart(time, slide)
            guard JoinTimeMath.add(lastStart, size - 1) > _watermark else {
                _lateRecords += 1
                switch batch.records[index] {
                case .left(let left): output.append(.lateLeft(left), time: time)
                case .right(let right): output.append(.lateRight(right), time: time)
                }
                continue
            }
            switch batch.records[index] {
            case .left(let left):
                add(leftKey(left), time: time, lastStart: lastStart) { $0.lefts.append(left) }
            case .right(let right):
                add(rightKey(right), time: time, lastStart: lastStart) { $0.rights.append(right) }
            }
        }
    }

    /// Adds a record (through `insert`) to every window of `key` that holds `time` and has not
    /// fired, creating windows and their timers as needed.
    @inlinable
    mutating func add(_ key: Key, time: EventTime, lastStart: EventTime,
                      _ insert: (inout WindowRows) -> Void) {
        let size = size, slide = slide, watermark = _watermark
        // Move the timer queue out so the state update below can push to it; the move leaves
        // its storage uniquely referenced, so pushing copies nothing.
        var timers = self.timers
        self.timers = JoinTimerQueue()
        defer { self.timers = timers }
        var added = 0
        windows.update(key, default: { [] }) { open in
            var start = lastStart
            let earliestStart = JoinTimeMath.subtract(time, size)
            // Windows are visited from the latest end down; stop at the first fired one.
            while start > earliestStart, JoinTimeMath.add(start, size - 1) > watermark {
                if let slot = open.firstIndex(where: { $0.window.start == start }) {
                    insert(&open[slot])
                } else {
                    var rows = WindowRows(window: Window(start: start, end: JoinTimeMath.add(start, size)))
                    insert(&rows)
                    open.append(rows)
                    // Each (key, window) gets one timer, when it opens; it is removed when it fires.
                    timers.push(rows.window.maxTimestamp, key)
                }
                added += 1
                start -= slide
            }
        }
        _stateSize += added
    }

    /// Fires every window whose `maxTimestamp` is at or before `watermark`, in time order.
    @inlinable
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {
        try fire(upTo: watermark, into: &output, flush: .never)
    }

    /// As `onWatermark` and `onEnd`, handing every `flush.batchSize` joined rows to `flush` as
    /// they are made: a window closing for many keys emits all their pairs at once.
    @inlinable
    public mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws {
        switch advance {
        case .watermark(let watermark): try fire(upTo: watermark, into: &output, flush: flush)
        case .processingTime: break
        case .end: try fire(upTo: .endOfTime, into: &output, flush: flush)
        }
    }

    @inlinable
    mutating func fire(upTo watermark: EventTime, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws {
        guard watermark > _watermark else { return }
        _watermark = watermark
        let join = join
        while let (maxTimestamp, key) = timers.popDue(at: watermark) {
            var fired = 0
            let empty = try windows.update(key, default: { [] }) { open -> Bool in
                guard let slot = open.firstIndex(where: { $0.window.maxTimestamp == maxTimestamp }) else {
                    return open.isEmpty
                }
                let rows = open.remove(at: slot)
                fired = rows.lefts.count + rows.rights.count
                for left in rows.lefts {
                    for right in rows.rights {
                        if let joined = try join(left, right, rows.window) {
                            output.append(.joined(joined), time: maxTimestamp)
                            try flush.sendIfFull(&output)
                        }
                    }
                }
                return open.isEmpty
            }
            _stateSize -= fired
            if empty { windows.removeValue(forKey: key) }
        }
    }

    /// Fires the windows still open, in case the input ended without the final watermark.
    @inlinable
    public mutating func onEnd(into output: inout Batch<Output>) throws {
        try fire(upTo: .endOfTime, into: &output, flush: .never)
    }
}

// Layout of a snapshot (after the kind byte and version): size, slide, watermark (Int64), the key
// count (varint), then per key: the key, its open window count (varint), and per window: start,
// end (Int64), the left records (varint count, records in arrival order), the right records.
extension WindowJoinOperator {
    /// Whether checkpoints can save this operator: its key and both record types are `Codable`
    /// (checked at run time).
    public static var isSnapshotable: Bool {
        SnapshotValueCoder<Key>.isCodable && SnapshotValueCoder<Left>.isCodable && SnapshotValueCoder<Right>.isCodable
    }

    /// The state for a checkpoint: a copy-on-write copy of every key's open windows and the
    /// watermark, encoded only when the snapshot is serialised. `lateRecords` is not saved.
    public func snapshot() -> StateSnapshot {
        let windows = windows, size = size, slide = slide, watermark = _watermark
        return StateSnapshot {
            let keyCoder = try SnapshotValueCoder<Key>("join key")
            let leftCoder = try SnapshotValueCoder<Left>("left record")
            let rightCoder = try SnapshotValueCoder<Right>("right record")
            var writer = SnapshotWriter()
            OperatorSnapshotFormat.writeHeader(.windowJoin, into: &writer)
            writer.write(size)
            writer.write(slide)
            writer.write(watermark)
            writer.writeCount(windows.count)
            try windows.forEach { key, open in
                try keyCoder.encode(key, &writer)
                writer.writeCount(open.count)
                for rows in open {
                    writer.write(rows.window.start)
                    writer.write(rows.window.end)
                    writer.writeCount(rows.lefts.count)
                    for left in rows.lefts { try leftCoder.encode(left, &writer) }
                    writer.writeCount(rows.rights.count)
                    for right in rows.rights { try rightCoder.encode(right, &writer) }
                }
            }
            return (writer.take(), windows.count)
        }
    }

    /// Replaces the state with the saved windows of the keys in `saved.keyGroups`, before any
    /// input; the watermark becomes the smallest saved one. Each open window gets its timer again.
    public mutating func restore(_ saved: RestoredState) throws {
        let keyCoder = try SnapshotValueCoder<Key>("join key")
        let leftCoder = try SnapshotValueCoder<Left>("left record")
        let rightCoder = try SnapshotValueCoder<Right>("right record")
        windows = KeyedStateTable()
        timers = JoinTimerQueue()
        _stateSize = 0
        var watermark: EventTime?
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            try OperatorSnapshotFormat.readHeader(.windowJoin, from: &reader)
            try OperatorSnapshotFormat.expect("window size", of: .windowJoin, equal: size, from: &reader)
            try OperatorSnapshotFormat.expect("slide", of: .windowJoin, equal: slide, from: &reader)
            watermark = OperatorSnapshotFormat.combine(watermark, try reader.read(Int64.self))
            let keyCount = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<keyCount {
                let key = try keyCoder.decode(&reader)
                var open = ContiguousArray<WindowRows>()
                for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) {
                    var rows = WindowRows(window: try reader.readWindow())
                    for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) { rows.lefts.append(try leftCoder.decode(&reader)) }
                    for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) { rows.rights.append(try rightCoder.decode(&reader)) }
                    open.append(rows)
                }
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)), !open.isEmpty else { continue }
                if let previous = windows.removeValue(forKey: key) {
                    _stateSize -= previous.reduce(0) { $0 + $1.lefts.count + $1.rights.count }
                }
                for rows in open {
                    _stateSize += rows.lefts.count + rows.rights.count
                    timers.push(rows.window.maxTimestamp, key)
                }
                windows.update(key, default: { open }) { _ in }
            }
            try reader.expectEnd()
        }
        if let watermark { _watermark = watermark }
    }
}
