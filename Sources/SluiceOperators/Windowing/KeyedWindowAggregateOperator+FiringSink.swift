import SluiceCore

extension KeyedWindowAggregateOperator {
    /// Takes the windows a watermark (or processing time, or the end of input) fires, stamped
    /// with the window's last millisecond, and hands them to the flush in batches of its size.
    ///
    /// Results are staged (`StagedBatch`, two stores each) and moved into a batch a run at a
    /// time: a window that every key shares makes a result per key, and appending each to a
    /// batch, which checks the storage of two arrays through the runtime, cost more than making
    /// it. Without a flush that sends (`OutputFlush.never`), every result stays in the one
    /// output batch and is appended to it directly.
    @usableFromInline
    struct FiringSink: WindowResultSink {
        @usableFromInline var output: Batch<Output>
        @usableFromInline let flush: OutputFlush<Output>
        /// The size of a stage; 0: append directly.
        @usableFromInline let stagedCapacity: Int
        /// Empty (capacity 0) until the first result, so that a watermark that fires nothing
        /// allocates nothing.
        @usableFromInline var staged = StagedBatch<WindowResult<Key, A.Output>>(capacity: 0)

        @inlinable init(output: Batch<Output>, flush: OutputFlush<Output>) {
            self.output = output
            self.flush = flush
            stagedCapacity = flush.batchSize == OutputFlush<Output>.never.batchSize ? 0 : Swift.min(flush.batchSize, Self.largestStage)
        }

        /// The largest stage: as many results as the runtime's flush sends in a batch, so that a
        /// full stage goes on as it is, without a copy.
        @inlinable static var largestStage: Int { 4_096 }

        @inlinable mutating func reserveCapacity(forAdditional count: Int) {
            if stagedCapacity == 0 { flush.reserveCapacity(in: &output, forAdditional: count) }
        }

        @inlinable mutating func emit(key: Key, window: Window, value: A.Output) throws {
            let result = WindowResult(key: key, window: window, value: value)
            if staged.capacity > 0 {
                staged.append(result, time: window.maxTimestamp)
                if staged.isFull { try moveStage() }
            } else if stagedCapacity > 0 {
                try startStaging(result, time: window.maxTimestamp)
            } else {
                output.append(.result(result), time: window.maxTimestamp)
                try flush.sendIfFull(&output)
            }
        }

        /// Makes the first stage. Out of line: once per call.
        @inlinable @inline(never)
        mutating func startStaging(_ result: WindowResult<Key, A.Output>, time: EventTime) throws {
            try flush.sendIfFull(&output)
            staged = StagedBatch(capacity: stageSize())
            staged.append(result, time: time)
            if staged.isFull { try moveStage() }
        }

        /// Moves the full stage on: sent as it is when it makes a batch of the flush's size, else
        /// into the output (sent if that is full); then sizes the next stage. Out of line: once
        /// per stage.
        @inlinable @inline(never)
        mutating func moveStage() throws {
            let run = staged.take { Output.result($0) }
            if output.isEmpty && run.count >= flush.batchSize {
                try flush.send(run)
            } else {
                output.append(contentsOf: run)
                try flush.sendIfFull(&output)
            }
            let next = stageSize()
            if next != staged.capacity {
                staged.deallocate()
                staged = StagedBatch(capacity: next)
            }
        }

        /// The size of the next stage: `stagedCapacity`, or less while the output holds records
        /// (those the caller passed in), so that batches go on at exactly the flush's size.
        @inlinable func stageSize() -> Int {
            Swift.max(1, Swift.min(stagedCapacity, flush.batchSize - output.count))
        }

        /// The output with every staged result, once the store has run; frees the stage.
        @inlinable mutating func finish() -> Batch<Output> {
            output.append(contentsOf: staged.take { Output.result($0) })
            staged.deallocate()
            return output
        }
    }
}
