import SluiceCore

/// Runs one instance behind an exchange: takes elements from its gate and pushes them into
/// the instance's fused chain, merging watermarks and ends over all upstream producers.
public final class GateReader<Record> {
    public let gate: InputGate<Record>
    private let downstream: any BatchReceiver<Record>

    public init(gate: InputGate<Record>, downstream: any BatchReceiver<Record>) {
        self.gate = gate
        self.downstream = downstream
    }

    /// Processes until every producer ended (then finishes downstream) or the gate is cancelled.
    public func run() throws {
        var merger = WatermarkMerger(inputs: gate.channelCount)
        while let (channel, element) = gate.take() {
            switch element {
            case .batch(let batch):
                try downstream.receive(batch)
            case .watermark(let watermark):
                if let advanced = merger.advance(input: channel, to: watermark) {
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
