/// The logic of one operator, free of threads and channels: it turns input batches (and
/// watermarks, and the end of input) into output records.
///
/// The runtime calls it from one thread at a time, so an implementation keeps plain mutable
/// state. Only `process` is required.
public protocol BatchOperator {
    associatedtype Input
    associatedtype Output

    /// Handles one batch, appending results to `output`.
    mutating func process(_ batch: Batch<Input>, into output: inout Batch<Output>) throws

    /// The watermark passed `watermark`; emit what it completes (fired windows, say).
    mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws

    /// Processing time (epoch milliseconds) has reached `now`; fire processing-time timers.
    /// The runtime calls it periodically; tests call it with a manual clock.
    mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws

    /// The input ended; emit what is still pending.
    mutating func onEnd(into output: inout Batch<Output>) throws
}

extension BatchOperator {
    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {}
    public mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws {}
    public mutating func onEnd(into output: inout Batch<Output>) throws {}
}
