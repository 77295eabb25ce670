/// Keeps the source instances of a group within `maxDrift` of each other in event time, as
/// Flink's `WatermarkStrategy.withWatermarkAlignment`: an instance whose watermark runs further
/// ahead of the slowest active instance stops reading until that one catches up.
///
/// The watermark downstream follows the slowest input, so whatever a faster instance reads
/// beyond it waits in window and join state. Alignment bounds that state by the drift, whatever
/// the scheduler does. Idle instances (see `idleTimeout`) and finished ones hold nobody back; an
/// instance that has read nothing yet does.
///
/// ```swift
/// events.withEventTime(\.dateTime, maxOutOfOrderness: .seconds(1),
///                      alignment: WatermarkAlignment(group: "events", maxDrift: .seconds(8)))
/// ```
/// A wait ends early for a checkpoint barrier (so that barriers are never held back) and for a
/// stop. The time spent waiting shows as `sluice_watermark_alignment_wait_seconds_total`.
public struct WatermarkAlignment: Sendable, Equatable {
    /// Sources assigning event time with the same group name are aligned with each other.
    public var group: String
    /// How far ahead of the slowest instance (in event time) an instance may read.
    public var maxDrift: Duration

    public init(group: String, maxDrift: Duration) {
        self.group = group
        self.maxDrift = maxDrift
    }
}
