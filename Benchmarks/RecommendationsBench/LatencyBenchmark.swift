import Foundation
import Histogram
import RecommendationsKit
import Sluice
#if canImport(Glibc)
import Glibc
#endif

/// Feeds the pipeline binary over a socket at a steady rate and measures, with an HdrHistogram,
/// the time from sending an interaction to receiving the list it changed.
///
/// Interactions carry their send time (epoch ms) as event time, as a live click stream would, so
/// the watermark, `maxOutOfOrderness` behind the latest time, follows the wall clock. A list
/// line names its user and interaction time; the benchmark looks up when it sent that one.
enum LatencyBenchmark {
    static func run(rate: Int, seconds: Int, maxOutOfOrdernessMilliseconds: Int) throws -> String {
        let generator = InteractionGenerator(users: 20_000, items: 5_000, seed: 3)
        let total = rate * seconds
        let interactions = generator.interactions(count: total)

        let outputListener = try SocketAddress(host: "127.0.0.1", port: 0).listen()
        defer { close(outputListener) }
        let process = Process()
        process.executableURL = binaryDirectory.appendingPathComponent("recommendations")
        process.arguments = ["--input", "events=tcp-listen://127.0.0.1:0", "--follow",
                             "--output", "out=tcp://127.0.0.1:\(SocketAddress.boundPort(outputListener))",
                             "--max-out-of-orderness", "\(maxOutOfOrdernessMilliseconds)ms", "--quiet"]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let inputPort = try waitForListeningPort(errors.fileHandleForReading)
        let input = try SocketAddress(host: "127.0.0.1", port: inputPort).connect()

        let sent = SendTimes(capacity: total)
        let receiver = LatencyReceiver(listener: outputListener, sent: sent, warmupNanos: UInt64(seconds) * 200_000_000)
        let receiving = Thread { receiver.run() }
        receiving.start()

        // Paced sending: every millisecond or so, whatever the rate says is due by now.
        let start = DispatchTime.now().uptimeNanoseconds
        var next = 0
        var line: [UInt8] = []
        while next < total {
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            let due = min(total, Int(Double(elapsed) * Double(rate) / 1e9) + 1)
            line.removeAll(keepingCapacity: true)
            let nowMilliseconds = Int64(Date().timeIntervalSince1970 * 1000)
            while next < due {
                let interaction = interactions[next]
                sent.record(user: interaction.user, ts: nowMilliseconds, at: DispatchTime.now().uptimeNanoseconds - start)
                line += Array("{\"user\":\(interaction.user),\"item\":\(interaction.item),\"type\":\"\(interaction.type)\",\"ts\":\(nowMilliseconds)}\n".utf8)
                next += 1
            }
            try writeAll(input, line)
            usleep(500)
        }
        // A last interaction well ahead in time pushes the watermark past everything sent.
        let flush = "{\"user\":-1,\"item\":0,\"type\":\"view\",\"ts\":\(Int64(Date().timeIntervalSince1970 * 1000) + 1_000)}\n"
        try writeAll(input, Array(flush.utf8))
        receiver.waitUntilQuiet()
        close(input)
        process.terminate()
        process.waitUntilExit()
        let histogram = receiver.histogram
        func milliseconds(_ percentile: Double) -> String {
            String(format: "%.2f", Double(histogram.valueAtPercentile(percentile)) / 1e6)
        }
        return "{\"benchmark\":\"recommendations-latency\",\"rate\":\(rate),\"seconds\":\(seconds),"
            + "\"maxOutOfOrdernessMs\":\(maxOutOfOrdernessMilliseconds),\"sent\":\(total),\"measured\":\(histogram.totalCount),"
            + "\"p50Ms\":\(milliseconds(50)),\"p90Ms\":\(milliseconds(90)),\"p99Ms\":\(milliseconds(99)),"
            + "\"p999Ms\":\(milliseconds(99.9)),\"maxMs\":\(String(format: "%.2f", Double(histogram.max) / 1e6))}"
    }

    static func waitForListeningPort(_ handle: FileHandle) throws -> Int {
        var text = ""
        while true {
            let data = handle.availableData
            guard !data.isEmpty else { throw BenchError("the pipeline exited before listening: \(text)") }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "listening on tcp://127.0.0.1:"),
               let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("sending to the pipeline: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }
}

/// When each (user, event time) was first sent, in nanoseconds since the start.
final class SendTimes: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Int64: UInt64]

    init(capacity: Int) { times = Dictionary(minimumCapacity: capacity) }

    private static func key(user: Int, ts: Int64) -> Int64 { ts &* 1_000_003 &+ Int64(user) }

    func record(user: Int, ts: Int64, at nanos: UInt64) {
        lock.lock()
        if times[Self.key(user: user, ts: ts)] == nil { times[Self.key(user: user, ts: ts)] = nanos }
        lock.unlock()
    }

    func sentAt(user: Int, ts: Int64) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        return times[Self.key(user: user, ts: ts)]
    }
}
