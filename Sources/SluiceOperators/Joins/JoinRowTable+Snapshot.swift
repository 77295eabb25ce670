import SluiceCore
import SluiceState

// Checkpoints of the rows of interval and regular joins. A snapshot is a copy-on-write copy of
// the per-key rows (not of the timer heap, which is rebuilt from each key's timer time).
//
// Layout (after the kind byte and version): left and right retention (Int64), the watermark
// (Int64), the key count (varint), then per key: the key, its timer time (Int64), the left rows
// (varint count, then time Int64 and record each, in time order) and the right rows likewise.

extension JoinRowTable {
    /// Whether checkpoints can save the rows: keys and both sides' records are `Codable`.
    static var isSnapshotable: Bool {
        SnapshotValueCoder<Key>.isCodable && SnapshotValueCoder<Left>.isCodable && SnapshotValueCoder<Right>.isCodable
    }

    func snapshot(_ kind: OperatorSnapshotKind, watermark: EventTime) -> StateSnapshot {
        let rows = rows, leftRetention = leftRetention, rightRetention = rightRetention
        return StateSnapshot {
            let keyCoder = try SnapshotValueCoder<Key>("join key")
            let leftCoder = try SnapshotValueCoder<Left>("left record")
            let rightCoder = try SnapshotValueCoder<Right>("right record")
            var writer = SnapshotWriter()
            OperatorSnapshotFormat.writeHeader(kind, into: &writer)
            writer.write(leftRetention)
            writer.write(rightRetention)
            writer.write(watermark)
            writer.writeCount(rows.count)
            try rows.forEach { key, keyRows in
                try keyCoder.encode(key, &writer)
                writer.write(keyRows.timer)
                writer.writeCount(keyRows.lefts.count)
                try keyRows.lefts.forEach { record, time in
                    writer.write(time)
                    try leftCoder.encode(record, &writer)
                }
                writer.writeCount(keyRows.rights.count)
                try keyRows.rights.forEach { record, time in
                    writer.write(time)
                    try rightCoder.encode(record, &writer)
                }
            }
            return (writer.take(), rows.count)
        }
    }

    /// Replaces the rows with the saved rows of the keys in `saved.keyGroups`; returns the
    /// smallest saved watermark (nil without blobs). Each key's timer is pushed again at its saved
    /// time (a key whose timer is `.max` never expires and needs none).
    mutating func restore(_ saved: RestoredState, kind: OperatorSnapshotKind) throws -> EventTime? {
        let keyCoder = try SnapshotValueCoder<Key>("join key")
        let leftCoder = try SnapshotValueCoder<Left>("left record")
        let rightCoder = try SnapshotValueCoder<Right>("right record")
        rows = KeyedStateTable()
        timers = JoinTimerQueue()
        count = 0
        var watermark: EventTime?
        for blob in saved.blobs {
            var reader = SnapshotReader(blob)
            try OperatorSnapshotFormat.readHeader(kind, from: &reader)
            try OperatorSnapshotFormat.expect("left retention", of: kind, equal: leftRetention, from: &reader)
            try OperatorSnapshotFormat.expect("right retention", of: kind, equal: rightRetention, from: &reader)
            watermark = OperatorSnapshotFormat.combine(watermark, try reader.read(Int64.self))
            let keyCount = try OperatorSnapshotFormat.readCount(&reader)
            for _ in 0..<keyCount {
                let key = try keyCoder.decode(&reader)
                var keyRows = Rows()
                keyRows.timer = try reader.read(Int64.self)
                for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) {
                    let time = try reader.read(Int64.self)
                    // Saved in time order, so every insert appends and equal times keep their order.
                    keyRows.lefts.insert(try leftCoder.decode(&reader), time: time)
                }
                for _ in 0..<(try OperatorSnapshotFormat.readCount(&reader)) {
                    let time = try reader.read(Int64.self)
                    keyRows.rights.insert(try rightCoder.decode(&reader), time: time)
                }
                guard saved.keyGroups.contains(saved.keyGroupMap.keyGroup(for: key)),
                      !(keyRows.lefts.isEmpty && keyRows.rights.isEmpty) else { continue }
                if let previous = rows.removeValue(forKey: key) { count -= previous.lefts.count + previous.rights.count }
                count += keyRows.lefts.count + keyRows.rights.count
                if keyRows.timer < .max {
                    keyRows.queued = keyRows.timer
                    timers.push(keyRows.timer, key)
                }
                rows.update(key, default: { keyRows }) { _ in }
            }
            try reader.expectEnd()
        }
        return watermark
    }
}
