import SluiceCore

/// Runs one instance behind an exchange: takes elements from its gate and pushes them into
/// the instance's fused chain, merging watermarks, idleness and ends over all upstream producers.
public final class GateReader<Record> {
    public let gate: InputGate<Record>
    private let downstream: any BatchReceiver<Record>
    private let clock: ProcessingClock

    /// How often the chain gets a processing-time tick while its input is quiet.
    public static var tickNanos: Int64 { 100_000_000 }

    public init(gate: InputGate<Record>, downstream: any BatchReceiver<Record>, clock: ProcessingClock = .system) {
        self.gate = gate
        self.downstream = downstream
        self.clock = clock
    }

    /// Processes until every producer ended (then finishes downstream) or the gate is cancelled.
    public func run() throws {
        var merger = WatermarkMerger(inputs: gate.channelCount)
        var nextTick = monotonicNanos() + Self.tickNanos
        while true {
            let taken = gate.take(timeoutNanos: max(0, nextTick - monotonicNanos()))
            if monotonicNanos() >= nextTick {
                try downstream.tick(clock.now())
                nextTick = monotonicNanos() + Self.tickNanos
            }
            let channel: Int
            let element: StreamElement<Record>
            switch taken {
            case .cancelled: return
            case .timedOut: continue
            case .element(let c, let e): (channel, element) = (c, e)
            }
            switch element {
            case .batch(let batch):
                try downstream.receive(batch)
            case .watermark(let watermark):
                if let advanced = merger.advance(input: channel, to: watermark) {
                    try downstream.receiveWatermark(advanced)
                }
            case .idle(let idle):
                if let advanced = merger.setIdle(input: channel, idle) {
                    try downstream.receiveWatermark(advanced)
                }
            case .barrier:
                break
            case .end:
                if let advanced = merger.end(input: channel) {
                    try downstream.receiveWatermark(advanced)
                }
                if merger.allEnded {
                    try downstream.finish()
                    return
                }
            }
        }
    }
}
