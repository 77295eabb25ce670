import SluiceCore
import SluiceState

// Checkpoints of a keyed process step. Without `onTimer` the snapshot is the state table as
// `KeyedStateTable` serialises it. With it, the layout (after the kind byte and version) is:
//   watermark, clock (Int64)
//   state table (varint byte count, then the table's own encoding)
//   timer count (varint), then per timer: domain (UInt8: 0 event, 1 processing), key, time (Int64)

extension KeyedProcessOperator {
    /// Whether checkpoints can save the state: keys and state values are `Codable`.
    public static var isSnapshotable: Bool { KeyedStateTable<Key, State>.isSnapshotable }

    /// The state of a checkpoint: copy-on-write copies of the table and the timers, serialised
    /// when called.
    public func snapshot() -> StateSnapshot {
        let table = table
        guard onTimer != nil else { return StateSnapshot { try table.serialized() } }
        // Only the table of live timers: capturing the queues would copy them at the next timer.
        let timers = timers.live, watermark = watermark, clock = clock
        return StateSnapshot { try Self.serialize(table, timers: timers, watermark: watermark, clock: clock) }
    }

    /// Restores the entries and timers of saved snapshots whose key groups this instance owns;
    /// the watermark and the clock become the smallest saved ones.
    public mutating func restore(_ saved: RestoredState) throws {
        var restoredClocks: (watermark: EventTime, clock: Int64)?
        defer { if let restoredClocks { (watermark, clock) = restoredClocks } }
        for blob in saved.blobs {
            guard onTimer != nil else {
                try table.restore(from: blob, keeping: saved.keyGroups, map: saved.keyGroupMap)
                continue
            }
            var reader = SnapshotReader(blob)
            try OperatorSnapshotFormat.readHeader(.keyedProcessWithTimers, from: &reader)
            let savedWatermark = try reader.read(Int64.self), savedClock = try reader.read(Int64.self)
            restoredClocks = (OperatorSnapshotFormat.combine(restoredClocks?.watermark, savedWatermark),
                              OperatorSnapshotFormat.combine(restoredClocks?.clock, savedClock))
            let tableBytes = try reader.readBytes(count: OperatorSnapshotFormat.readCount(&reader))
            try table.restore(from: tableBytes, keeping: saved.keyGroups, map: saved.keyGroupMap)
            let keyCoder = try SnapshotValueCoder<Key>("timer key")
            for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) {
                let at = reader.offset
                let domain: TimeDomain
                switch try reader.read(UInt8.self) {
                case 0: domain = .eventTime
                case 1: domain = .processingTime
                case let code: throw SnapshotError(.corrupt, "corrupt: timer domain \(code) at offset \(at)")
                }
                let key = try keyCoder.decode(&reader)
                let time = try reader.read(Int64.self)
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)) else { continue }
                timers.register(KeyedTimer(key: key, time: time, domain: domain))
            }
            try reader.expectEnd()
        }
    }

    static func serialize(_ table: KeyedStateTable<Key, State>,
                          timers live: KeyedStateTable<KeyedTimers<Key>.Entry, Void>, watermark: EventTime,
                          clock: Int64) throws -> (bytes: [UInt8], records: Int) {
        let keyCoder = try SnapshotValueCoder<Key>("timer key")
        let saved = try table.serialized()
        let timers = KeyedTimers<Key>.timers(in: live)
        var writer = SnapshotWriter(capacity: saved.bytes.count + 16 + timers.count * 24)
        OperatorSnapshotFormat.writeHeader(.keyedProcessWithTimers, into: &writer)
        writer.write(watermark)
        writer.write(clock)
        writer.writeCount(saved.bytes.count)
        writer.writeBytes(saved.bytes)
        writer.writeCount(timers.count)
        for timer in timers {
            writer.write(UInt8(timer.domain == .eventTime ? 0 : 1))
            try keyCoder.encode(timer.key, &writer)
            writer.write(timer.time)
        }
        return (writer.take(), saved.records + timers.count)
    }
}
