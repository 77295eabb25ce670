#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceDSL
import SluiceRuntime

/// The one-line status on stderr: events/s in and out, backpressure, bad records.
struct ProgressLine {
    private var lastNanos = monotonicNanos()
    private var lastIn = 0
    private var lastOut = 0
    private var lastBlocked = 0
    private var lastShown: Int64 = 0

    /// Redraws at most once a second.
    mutating func update(_ progress: RunProgress) {
        let now = monotonicNanos()
        guard now - lastShown >= 1_000_000_000 else { return }
        let seconds = Double(now - lastNanos) / 1e9
        let recordsIn = progress.recordsIn
        let recordsOut = progress.recordsOut
        let blocked = progress.blockedNanos
        let inRate = Double(recordsIn - lastIn) / seconds
        let outRate = Double(recordsOut - lastOut) / seconds
        let backpressure = min(100, Double(blocked - lastBlocked) / 1e9 / seconds * 100)
        var line = "\r\u{1B}[K[sluice] in \(Self.rate(inRate))/s  out \(Self.rate(outRate))/s  total \(recordsIn)"
        line += "  backpressure \(Int(backpressure))%"
        if progress.badRecords > 0 { line += "  bad \(progress.badRecords)" }
        if let checkpoint = progress.lastCheckpoint { line += "  checkpoint \(checkpoint.id) (\(checkpoint.milliseconds) ms)" }
        Diagnostics.setProgressLineVisible(false)
        Diagnostics.write(line)
        Diagnostics.setProgressLineVisible(true)
        (lastNanos, lastIn, lastOut, lastBlocked, lastShown) = (now, recordsIn, recordsOut, blocked, now)
    }

    static func rate(_ value: Double) -> String {
        if value >= 1e6 { return "\((value / 1e5).rounded() / 10)M" }
        if value >= 1e3 { return "\((value / 1e2).rounded() / 10)K" }
        return "\(Int(value))"
    }

    /// Whether stderr is a terminal.
    static var isTerminal: Bool { isatty(2) != 0 }
}
