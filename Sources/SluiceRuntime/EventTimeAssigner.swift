import SluiceCore

/// Stamps records with their event time and generates watermarks with bounded
/// out-of-orderness: after each batch the watermark is `max time seen − maxOutOfOrderness − 1`
/// (so a record that late is still on time, one later is not).
///
/// With an idle timeout, an input that gets no records for that long (in processing time)
/// declares itself idle, so the consumers' watermark does not wait for it; its next record
/// makes it active again.
///
/// In a watermark alignment group, it reports each watermark to the group, and when that puts
/// it more than the group's drift ahead of the slowest member, it waits before returning a
/// batch: the source instance that pushed the batch reads nothing more meanwhile.
public final class EventTimeAssigner<Record>: BatchReceiver {
    private let stamp: (inout Batch<Record>) -> EventTime
    private let maxOutOfOrderness: Int64
    private let idleTimeout: Int64?
    private let downstream: any BatchReceiver<Record>
    private var maxSeen = EventTime.min
    private var emitted = EventTime.noTime
    private var sawRecords = false
    private var lastActive: Int64?
    private var isIdle = false
    private let alignment: (group: WatermarkAlignmentGroup, member: Int)?
    /// The newest checkpoint whose barrier passed through (an alignment wait ends for a newer one).
    private var barriersPassed: Int64 = 0

    /// - Parameter stamp: sets every record's time in a batch and returns the largest
    ///   (see `stamper(_:)`).
    /// - Parameter alignment: the watermark alignment group this instance belongs to, and its
    ///   index there; it must run on its source instance's thread.
    public init(stamp: @escaping (inout Batch<Record>) -> EventTime, maxOutOfOrderness: Int64, idleTimeout: Int64?,
                alignment: (group: WatermarkAlignmentGroup, member: Int)? = nil, downstream: any BatchReceiver<Record>) {
        self.stamp = stamp
        self.maxOutOfOrderness = maxOutOfOrderness
        self.idleTimeout = idleTimeout
        self.alignment = alignment
        self.downstream = downstream
    }

    public func receive(_ batch: consuming Batch<Record>) throws {
        // Stamped in place: only the times change, and the records go on unshared.
        var stamped = consume batch
        maxSeen = max(maxSeen, stamp(&stamped))
        if isIdle {
            isIdle = false
            if let alignment { alignment.group.setIdle(alignment.member, false) }
            try downstream.receiveIdle(false)
        }
        sawRecords = true
        try downstream.receive(consume stamped)
        // Times within the out-of-orderness of `EventTime.min` have no watermark yet (wrapping
        // around would make one far in the future).
        let (trailing, wrapped) = maxSeen.subtractingReportingOverflow(maxOutOfOrderness)
        let watermark = wrapped || trailing == .min ? EventTime.min : trailing - 1
        if watermark > emitted {
            emitted = watermark
            try downstream.receiveWatermark(watermark)
            if let alignment, alignment.group.report(alignment.member, watermark: watermark) {
                try holdBack(alignment)
            }
        }
    }

    /// Waits while this instance is ahead of its alignment group, after sending on what its
    /// chain holds (exchanges holding records for fuller batches would keep them meanwhile).
    /// The steps after it get their ticks meanwhile; it does not declare itself idle.
    private func holdBack(_ alignment: (group: WatermarkAlignmentGroup, member: Int)) throws {
        try alignment.group.holdBack(alignment.member, barriersPassed: barriersPassed, tickNanos: GateReader<Record>.tickNanos,
                                     beforeWaiting: { try downstream.inputDrained() },
                                     tick: { try downstream.tick(ProcessingClock.system.now()) })
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
                if let alignment { alignment.group.setIdle(alignment.member, true) }
                try downstream.receiveIdle(true)
            }
        }
        try downstream.tick(now)
    }

    public func inputDrained() throws {
        try downstream.inputDrained()
    }

    public func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {
        barriersPassed = max(barriersPassed, checkpoint.checkpointID)
        try downstream.receiveBarrier(checkpoint)
    }

    public func finish() throws {
        try emitEndOfTime()
        try downstream.finish()
    }

    /// The stamping loop for `time`, compiled where it is called (inlinable).
    @inlinable
    public static func stamper(_ time: @escaping (Record) -> EventTime) -> (inout Batch<Record>) -> EventTime {
        { batch in
            var largest = EventTime.min
            let records = batch.records
            batch.times.withUnsafeMutableBufferPointer { times in
                for i in 0..<times.count {
                    let t = time(records[i])
                    times[i] = t
                    if t > largest { largest = t }
                }
            }
            return largest
        }
    }

    private func emitEndOfTime() throws {
        guard emitted < .endOfTime else { return }
        emitted = .endOfTime
        if let alignment { alignment.group.leave(alignment.member) }
        try downstream.receiveWatermark(.endOfTime)
    }
}
