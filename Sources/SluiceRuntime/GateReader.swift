import SluiceCore

/// Runs one instance behind an exchange: takes elements from its gate and pushes them into
/// the instance's fused chain, merging watermarks, idleness and ends over all upstream producers.
public final class GateReader<Record> {
    public let gate: InputGate<Record>
    private let downstream: any BatchReceiver<Record>
    private let clock: ProcessingClock
    private let checkpoints: CheckpointRegistry?
    private let chain: Int

    /// How often the chain gets a processing-time tick while its input is quiet.
    public static var tickNanos: Int64 { 100_000_000 }

    public init(gate: InputGate<Record>, downstream: any BatchReceiver<Record>, clock: ProcessingClock = .system,
                checkpoints: CheckpointRegistry? = nil, chain: Int = 0) {
        self.gate = gate
        self.downstream = downstream
        self.clock = clock
        self.checkpoints = checkpoints
        self.chain = chain
    }

    /// Processes until every producer ended (then finishes downstream) or the gate is cancelled.
    ///
    /// Checkpoint barriers are aligned: a channel that delivered barrier `n` is not read again
    /// until every open channel has delivered it, so the state snapshot holds exactly the
    /// records before the barrier on every input.
    public func run() throws {
        var merger = WatermarkMerger(inputs: gate.channelCount)
        var alignment = BarrierAlignment(channels: gate.channelCount)
        // A first tick before any input, so that processing time is the clock's from the first record.
        try downstream.tick(clock.now())
        var nextTick = monotonicNanos() + Self.tickNanos
        var receivedSinceDrained = false
        while true {
            var taken = gate.take(blocked: alignment.blocked, timeoutNanos: 0)
            if case .timedOut = taken {
                // Nothing to read: before waiting, let exchanges downstream send what they hold.
                if receivedSinceDrained {
                    receivedSinceDrained = false
                    try downstream.inputDrained()
                }
                taken = gate.take(blocked: alignment.blocked, timeoutNanos: max(0, nextTick - monotonicNanos()))
            }
            if monotonicNanos() >= nextTick {
                try downstream.tick(clock.now())
                nextTick = monotonicNanos() + Self.tickNanos
            }
            let channel: Int
            let element: StreamElement<Record>
            switch consume taken {
            case .cancelled: return
            case .timedOut: continue
            case .element(let c, let e): (channel, element) = (c, e)
            }
            receivedSinceDrained = true
            // Consumed, so that the batch goes on as the only reference to its storage.
            switch consume element {
            case .batch(let batch):
                try downstream.receive(consume batch)
            case .watermark(let watermark):
                if let advanced = merger.advance(input: channel, to: watermark) {
                    try downstream.receiveWatermark(advanced)
                }
            case .idle(let idle):
                if let advanced = merger.setIdle(input: channel, idle) {
                    try downstream.receiveWatermark(advanced)
                }
            case .barrier(let id):
                if let aligned = alignment.barrier(id, from: channel) { try passBarrier(aligned) }
            case .end:
                if let advanced = merger.end(input: channel) {
                    try downstream.receiveWatermark(advanced)
                }
                if let aligned = alignment.end(channel) { try passBarrier(aligned) }
                if merger.allEnded {
                    try downstream.finish()
                    return
                }
            }
        }
    }

    private func passBarrier(_ id: Int64) throws {
        let checkpoint = checkpoints?.collector(id) ?? AbandonedCheckpoint(checkpointID: id)
        try downstream.receiveBarrier(checkpoint)
        checkpoint.chainDone(chain: chain)
    }
}
