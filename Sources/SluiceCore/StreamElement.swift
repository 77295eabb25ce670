/// Everything that flows along an edge of the dataflow: data in batches, and the in-band
/// control elements that must stay ordered with the data.
public enum StreamElement<Record>: @unchecked Sendable {
    /// Records with their event times.
    case batch(Batch<Record>)
    /// No record with an event time at or below this value will follow on this input.
    case watermark(EventTime)
    /// The producer has no data for a while (`true`) or has data again (`false`): an idle
    /// producer does not hold the consumer's watermark back.
    case idle(Bool)
    /// Checkpoint barrier `n`: all data before it belongs to checkpoint `n`.
    case barrier(Int64)
    /// The producer has finished; nothing follows.
    case end
}
