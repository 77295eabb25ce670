import SluiceCore

/// Stamps records with their event time and generates watermarks with bounded
/// out-of-orderness: after each batch the watermark is `max time seen − maxOutOfOrderness − 1`
/// (so a record that late is still on time, one later is not).
///
/// With an idle timeout, an input that gets no records for that long (in processing time)
/// declares itself idle, so the consumers' watermark does not wait for it; its next record
/// makes it active again.
public final class EventTimeAssigner<Record>: BatchReceiver {
    private let time: (Record) -> EventTime
    private let maxOutOfOrderness: Int64
    private let idleTimeout: Int64?
    private let downstream: any BatchReceiver<Record>
    private var maxSeen = EventTime.min
    private var emitted = EventTime.noTime
    private var sawRecords = false
    private var lastActive: Int64?
    private var isIdle = false

    public init(time: @escaping (Record) -> EventTime, maxOutOfOrderness: Int64, idleTimeout: Int64?,
                downstream: any BatchReceiver<Record>) {
        self.time = time
        self.maxOutOfOrderness = maxOutOfOrderness
        self.idleTimeout = idleTimeout
        self.downstream = downstream
    }

    public func receive(_ batch: Batch<Record>) throws {
        var stamped = batch
        stamped.times.withUnsafeMutableBufferPointer { times in
            for i in 0..<times.count {
                let t = time(stamped.records[i])
                times[i] = t
                if t > maxSeen { maxSeen = t }
            }
        }
        if isIdle {
            isIdle = false
            try downstream.receiveIdle(false)
        }
        sawRecords = true
        try downstream.receive(stamped)
        let watermark = maxSeen &- maxOutOfOrderness &- 1
        if maxSeen != .min && watermark > emitted {
            emitted = watermark
            try downstream.receiveWatermark(watermark)
        }
    }

    /// Watermarks from upstream are replaced by this assigner's own, except the final one.
    public func receiveWatermark(_ watermark: EventTime) throws {
        if watermark == .endOfTime { try emitEndOfTime() }
    }

    public func receiveIdle(_ idle: Bool) throws {}

    public func tick(_ now: Int64) throws {
        if let idleTimeout {
            if sawRecords || lastActive == nil {
                lastActive = now
                sawRecords = false
            } else if !isIdle, let lastActive, now - lastActive >= idleTimeout {
                isIdle = true
                try downstream.receiveIdle(true)
            }
        }
        try downstream.tick(now)
    }

    public func finish() throws {
        try emitEndOfTime()
        try downstream.finish()
    }

    private func emitEndOfTime() throws {
        guard emitted < .endOfTime else { return }
        emitted = .endOfTime
        try downstream.receiveWatermark(.endOfTime)
    }
}
