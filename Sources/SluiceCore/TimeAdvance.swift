/// What moves an operator's clocks on, outside its input records: the watermark, processing
/// time, or the end of input.
public enum TimeAdvance: Sendable, Equatable {
    /// The watermark passed this event time (`BatchOperator.onWatermark`).
    case watermark(EventTime)
    /// Processing time reached these epoch milliseconds (`BatchOperator.onProcessingTime`).
    case processingTime(Int64)
    /// The input ended (`BatchOperator.onEnd`).
    case end
}
