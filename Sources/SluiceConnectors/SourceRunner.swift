import SluiceCore
import SluiceFormats
import SluiceRuntime

/// One source instance: reads lines from its input, decodes them into batches of records,
/// and pushes the batches into its fused chain. It blocks when the chain's exchange is full,
/// which is how backpressure reaches files and sockets.
public final class SourceRunner<Record> {
    private let input: any LineInput
    private let format: SourceFormat<Record>
    private let badRecords: BadRecordHandler
    private let context: ExecutionContext
    private let downstream: any BatchReceiver<Record>
    private let batchSize: Int
    /// Records read, for metrics and the progress line.
    public let recordsIn: Counter
    private let clock: ProcessingClock
    private var nextTick: Int64 = 0
    private let checkpointing: (any SourceCheckpointing)?
    private let identity: (source: String, instance: Int, chain: Int)
    private var injected: Int64 = 0

    public init(input: any LineInput, format: SourceFormat<Record>, badRecords: BadRecordHandler, context: ExecutionContext,
                downstream: any BatchReceiver<Record>, batchSize: Int = 1024, recordsIn: Counter,
                clock: ProcessingClock = .system, checkpointing: (any SourceCheckpointing)? = nil,
                identity: (source: String, instance: Int, chain: Int) = ("", 0, 0)) {
        self.input = input
        self.format = format
        self.badRecords = badRecords
        self.context = context
        self.downstream = downstream
        self.batchSize = batchSize
        self.recordsIn = recordsIn
        self.clock = clock
        self.checkpointing = checkpointing
        self.identity = identity
    }

    /// Reads until the input ends or a stop is requested, then ends the stream.
    public func run() throws {
        defer { input.close() }
        // Made here, on the instance's own thread, not by the thread that built the pipeline: the
        // decoder's state is written on every line, and made together, two instances' states
        // could share a cache line, which the cores would then pass back and forth. And held in
        // locals, the closures are not retained per line.
        let (decode, acceptHeader) = format.makeDecoder()
        var batch = Batch<Record>(capacity: batchSize)
        var more = true
        while more && !context.isStopping {
            more = try input.read { line in
                try accept(line, into: &batch, decode: decode, acceptHeader: acceptHeader)
                if batch.count >= batchSize {
                    try flush(&batch)
                }
            }
            // Flush what a read produced, so a slow socket's records do not wait for a full batch,
            // and let exchanges send what they hold.
            try flush(&batch)
            try downstream.inputDrained()
            try injectBarrierIfDue()
            try tickIfDue()
        }
        guard !context.isFailed else { return }
        // A stop's final checkpoint is injected here, after the last records read.
        try injectBarrierIfDue()
        if !more && !context.isStopping {
            checkpointing?.sourceFinished(source: identity.source, instance: identity.instance)
        }
        try downstream.finish()
    }

    /// Between reads, records the position and passes a pending checkpoint barrier on.
    private func injectBarrierIfDue() throws {
        guard let checkpointing else { return }
        for checkpoint in checkpointing.injector.pending(after: injected) {
            injected = checkpoint.checkpointID
            if let segments = input.checkpointPosition() {
                checkpoint.addSourcePosition(source: identity.source, instance: identity.instance, segments: segments)
            }
            try downstream.receiveBarrier(checkpoint)
            checkpoint.chainDone(chain: identity.chain)
        }
    }

    /// Gives the chain processing time about every 100 ms (reads return at least that often).
    private func tickIfDue() throws {
        let now = monotonicNanos()
        guard now >= nextTick else { return }
        nextTick = now + GateReader<Record>.tickNanos
        try downstream.tick(clock.now())
    }

    private func flush(_ batch: inout Batch<Record>) throws {
        guard !batch.isEmpty else { return }
        recordsIn.add(batch.count)
        // Handed on alone, so that the chain can move its records rather than copy them.
        var full = Batch<Record>(capacity: batchSize)
        swap(&full, &batch)
        try downstream.receive(consume full)
    }

    private func accept(_ line: SourceLine, into batch: inout Batch<Record>, decode: SourceFormat<Record>.Decode,
                        acceptHeader: SourceFormat<Record>.AcceptHeader) throws {
        switch line.kind {
        case .record, .unterminated:
            if line.bytes.allSatisfy(Self.isBlank) { return }
            do {
                try decode(line.bytes, &batch)
            } catch {
                let note = line.kind == .unterminated ? " (last line has no newline: truncated input?)" : ""
                try reject(line, reason: error.reason + note)
            }
        case .header:
            do { try acceptHeader(line.bytes) } catch { try reject(line, reason: "bad header: \(error.reason)") }
        case .tooLong:
            try reject(line, reason: "line longer than --max-line-bytes")
        case .truncated:
            try reject(line, reason: "connection closed in the middle of a line")
        }
    }

    private func reject(_ line: SourceLine, reason: String) throws {
        let (source, number) = input.currentLocation()
        let raw = String(decoding: line.bytes, as: UTF8.self)
        try badRecords.handle(BadRecord(source: source, line: number, reason: reason, raw: raw))
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 32 || byte == 9 || byte == 13
    }
}
