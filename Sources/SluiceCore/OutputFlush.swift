/// Takes full output batches from an operator before its call returns.
///
/// A watermark can fire a window that every key shares: hundreds of thousands of results from
/// one call. Appended to a single batch, they would make a batch as large as the state, written
/// to fresh memory and read back by each step after it. An operator given a flush instead hands
/// on each `batchSize` results as it goes, so every batch stays small enough for the cache and
/// the next steps start on the first results while later ones are being made.
///
/// ```swift
/// try flush.sendIfFull(&output)   // after each append
/// ```
public struct OutputFlush<Record> {
    /// How many records a batch holds before it is sent.
    public let batchSize: Int
    @usableFromInline let deliver: (Batch<Record>) throws -> Void

    /// A flush that hands batches of `batchSize` records to `send`.
    public init(batchSize: Int, send: @escaping (Batch<Record>) throws -> Void) {
        precondition(batchSize > 0, "a flush needs a positive batch size")
        self.batchSize = batchSize
        deliver = send
    }

    /// A flush that never sends: everything stays in the call's output batch.
    public static var never: OutputFlush { OutputFlush(batchSize: .max) { _ in } }

    /// Makes room in `output` for `count` more records, or as many as fit before it is sent.
    @inlinable
    public func reserveCapacity(in output: inout Batch<Record>, forAdditional count: Int) {
        output.reserveCapacity(forAdditional: Swift.min(count, batchSize))
    }

    /// Sends `output` on and leaves it empty if it holds `batchSize` records or more.
    @inlinable @inline(__always)
    public func sendIfFull(_ output: inout Batch<Record>) throws {
        if output.count >= batchSize { try sendFull(&output) }
    }

    /// Out of line: the check above runs after every record, the send once per batch.
    @inlinable @inline(never)
    func sendFull(_ output: inout Batch<Record>) throws {
        let full = output
        output = Batch(capacity: batchSize)
        try deliver(full)
    }

    /// Sends a batch of `batchSize` records or more on as it is, for an operator that makes its
    /// batches whole rather than appending to its output.
    @inlinable
    public func send(_ full: Batch<Record>) throws {
        try deliver(full)
    }
}
