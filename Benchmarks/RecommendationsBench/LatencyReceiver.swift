import Foundation
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// Accepts the pipeline's output connection and records, for each list line, the time since
/// its interaction was sent (after a warm-up).
final class LatencyReceiver: @unchecked Sendable {
    private let listener: Int32
    private let sent: SendTimes
    private let warmupNanos: UInt64
    private let start = DispatchTime.now().uptimeNanoseconds
    private let lock = NSCondition()
    private var recorded = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    private var lastLineNanos: UInt64 = 0

    init(listener: Int32, sent: SendTimes, warmupNanos: UInt64) {
        self.listener = listener
        self.sent = sent
        self.warmupNanos = warmupNanos
    }

    var histogram: Histogram<UInt64> { lock.withLock { recorded } }

    func run() {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var pending: [UInt8] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
            guard n > 0 else { return }
            let now = DispatchTime.now().uptimeNanoseconds - start
            pending += buffer[..<n]
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                guard let user = Self.integer(after: "\"user\":", in: line), let ts = Self.integer(after: "\"ts\":", in: line),
                      let sentAt = sent.sentAt(user: Int(user), ts: ts) else { continue }
                lock.withLock {
                    if sentAt >= warmupNanos { _ = recorded.record(now - sentAt) }
                    lastLineNanos = now
                    lock.broadcast()
                }
            }
        }
    }

    /// Returns once no line has arrived for half a second (the pipeline has caught up).
    func waitUntilQuiet() {
        lock.withLock {
            while true {
                let before = lastLineNanos
                _ = lock.wait(until: Date().addingTimeInterval(0.5))
                if lastLineNanos == before { return }
            }
        }
    }

    static func integer(after key: String, in line: String) -> Int64? {
        guard let range = line.range(of: key) else { return nil }
        return Int64(line[range.upperBound...].prefix { $0.isNumber || $0 == "-" })
    }
}
