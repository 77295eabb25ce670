/// The logic of one operator, free of threads and channels: it turns input batches (and
/// watermarks, and the end of input) into output records.
///
/// The runtime calls it from one thread at a time, so an implementation keeps plain mutable
/// state. Only `process` is required.
public protocol BatchOperator {
    associatedtype Input
    associatedtype Output

    /// Handles one batch, appending results to `output`. The batch is the operator's to take
    /// apart (`Batch.drain` moves its records out); an implementation that only reads it may
    /// take it as a plain parameter.
    mutating func process(_ batch: consuming Batch<Input>, into output: inout Batch<Output>) throws

    /// The watermark passed `watermark`; emit what it completes (fired windows, say).
    mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws

    /// Processing time (epoch milliseconds) has reached `now`; fire processing-time timers.
    /// The runtime calls it periodically; tests call it with a manual clock.
    mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws

    /// The input ended; emit what is still pending.
    mutating func onEnd(into output: inout Batch<Output>) throws

    /// Does what `onWatermark`, `onProcessingTime` or `onEnd` does for `advance`, and may hand
    /// full batches to `flush` before it returns: the runtime calls this, so that an operator
    /// that can emit a great many records at once (a window firing for every key) keeps its
    /// batches small. The default calls the matching method and never flushes.
    mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws
}

extension BatchOperator {
    public mutating func advance(_ advance: TimeAdvance, into output: inout Batch<Output>, flush: OutputFlush<Output>) throws {
        switch advance {
        case .watermark(let watermark): try onWatermark(watermark, into: &output)
        case .processingTime(let now): try onProcessingTime(now, into: &output)
        case .end: try onEnd(into: &output)
        }
    }

    public mutating func onWatermark(_ watermark: EventTime, into output: inout Batch<Output>) throws {}
    public mutating func onProcessingTime(_ now: Int64, into output: inout Batch<Output>) throws {}
    public mutating func onEnd(into output: inout Batch<Output>) throws {}
}
