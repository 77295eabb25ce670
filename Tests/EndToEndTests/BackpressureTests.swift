#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Sizes and throttles of the backpressure tests.
enum BackpressureSettings {
    /// Events in the large input: about 112 MB of JSON lines (280 bytes a line on average).
    static let largeInputEvents = 400_000
    /// The throttled sink reads this much at a time…
    static let throttledReadBytes = 4 << 10
    /// …and pauses this long between reads (a throttle, not synchronisation): at most about
    /// 4 MB/s, slower than a debug build of `auctionstats` writes its rows.
    static let throttlePauseMicroseconds: UInt32 = 1_000
    /// When the throttled sink has received this much, the test looks at how far the binary
    /// has read its input.
    static let sampleAfterBytes = 1 << 20
    /// A producer that cannot write for this long, this many times in a row, is stalled.
    static let stallPoll: Duration = .milliseconds(1_500)
    static let stallPolls = 2
    /// The peak RSS a pipeline may reach whatever its input size.
    static let peakRSSLimitKiB = 200 * 1024
}

/// Memory stays bounded when the sink is slower than the source: a slow sink stalls its
/// upstream, and a socket source stops reading its socket (design.md §3, Backpressure).
@Suite("backpressure", .removesSharedInput("large"))
struct BackpressureTests {
    let binary = TestEnvironment.auctionstats

    /// About 5 s per parallelism (the throttle); 1 and 4 run too when SLUICE_E2E_SLOW is set.
    @Test("a throttled tcp:// sink: the source does not run ahead, peak RSS stays bounded, every row arrives",
          arguments: TestEnvironment.slowTestsEnabled ? [1, 2, 4] : [2])
    func throttledSink(parallelism: Int) async throws {
        let input = try await SharedInputs.large()
        let scratch = try TestEnvironment.scratch("throttled-p\(parallelism)")
        defer { scratch.remove() }
        let listener = try LoopbackListener()
        defer { listener.close() }
        let child = try ChildProcess(binary, ["--input", "events=\(input.path)", "--output", "out=tcp://127.0.0.1:\(listener.port)",
                                              "--parallelism", "\(parallelism)"], directory: scratch.path, sampleMemory: true)
        defer { child.killIfRunning() }
        let sink = Background { () throws -> (received: [UInt8], inputReadAtSample: Int?) in
            let connection = try listener.accept()
            defer { connection.close() }
            var inputReadAtSample: Int?
            var received: [UInt8] = []
            while true {
                let bytes = try connection.read(upTo: BackpressureSettings.throttledReadBytes)
                if bytes.isEmpty { break }
                received += bytes
                if inputReadAtSample == nil && received.count >= BackpressureSettings.sampleAfterBytes {
                    inputReadAtSample = child.bytesRead
                }
                usleep(BackpressureSettings.throttlePauseMicroseconds)
            }
            return (received, inputReadAtSample)
        }

        let outcome = await child.exit()
        let (received, inputReadAtSample) = try await sink.value

        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        // While the sink has taken its first MB of rows (the rows of a few MB of input), the
        // binary has read only what its bounded channels and socket buffers hold beyond that.
        let readAtSample = try #require(inputReadAtSample, "no sample of the binary's reads")
        #expect(readAtSample < input.bytes / 2,
                "the binary had read \(readAtSample >> 20) of \(input.bytes >> 20) MB when the sink had received \(BackpressureSettings.sampleAfterBytes >> 20) MB")
        let peak = try #require(outcome.peakRSSKiB)
        #expect(peak < BackpressureSettings.peakRSSLimitKiB, "peak RSS \(peak / 1024) MiB on a \(input.bytes >> 20) MB input")
        let (rows, parseProblems) = StatsOutput.parse(received)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a tcp-listen:// source stops reading while its sink's peer does not read")
    func socketSourceStopsReading() async throws {
        let input = try await SharedInputs.large()
        let scratch = try TestEnvironment.scratch("stalled-source")
        defer { scratch.remove() }
        // What the binary can absorb while its sink's peer does not read: the socket buffers
        // on both sides of it (a few MB each, autotuned) and its bounded channels; measured at
        // about 30 MB of this 112 MB input. The producer's own send buffer is kept small.
        let sinkListener = try LoopbackListener()
        defer { sinkListener.close() }
        let startReading = Gate()
        let sink = Background {
            let connection = try sinkListener.accept()
            defer { connection.close() }
            try startReading.wait()
            return try connection.readToEnd()
        }
        let child = try ChildProcess(binary, ["--input", "events=tcp-listen://127.0.0.1:0?producers=1",
                                              "--output", "out=tcp://127.0.0.1:\(sinkListener.port)", "--parallelism", "2"],
                                     directory: scratch.path, sampleMemory: true)
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }

        let path = input.path
        let producer = Background { () throws -> (stalledAt: Int?, sent: Int) in
            defer { startReading.open() }
            let connection = try LoopbackConnection.connect(port: port, sendBuffer: 64 << 10)
            defer { connection.close() }
            guard let file = FileHandle(forReadingAtPath: path) else { throw TestFailure("cannot open \(path)") }
            defer { try? file.close() }
            var sent = 0
            var stalledAt: Int?
            var timeoutsInARow = 0
            while true {
                let chunk = file.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                    var offset = 0
                    while offset < raw.count {
                        let n = try connection.trySend(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                        if n > 0 {
                            offset += n
                            sent += n
                            timeoutsInARow = 0
                        } else if stalledAt == nil {
                            if connection.waitWritable(timeout: BackpressureSettings.stallPoll) {
                                timeoutsInARow = 0
                            } else {
                                timeoutsInARow += 1
                                if timeoutsInARow >= BackpressureSettings.stallPolls {
                                    // Stalled: now let the sink's peer read, and go on sending.
                                    stalledAt = sent
                                    startReading.open()
                                }
                            }
                        } else if !connection.waitWritable(timeout: TestEnvironment.defaultTimeout) {
                            throw TestFailure("the source did not read again once its sink's peer read")
                        }
                    }
                }
            }
            return (stalledAt, sent)
        }

        let (stalledAt, sent) = try await producer.value
        let outcome = await child.exit()
        let received = try await sink.value

        #expect(sent == input.bytes)
        let stall = try #require(stalledAt, "the producer could always write: the source never stopped reading")
        #expect(stall < input.bytes / 2, "the producer stalled only after \(stall >> 20) of \(input.bytes >> 20) MB")
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let peak = try #require(outcome.peakRSSKiB)
        #expect(peak < BackpressureSettings.peakRSSLimitKiB, "peak RSS \(peak / 1024) MiB")
        let (rows, parseProblems) = StatsOutput.parse(received)
        #expect(parseProblems.isEmpty, "\(parseProblems)")
        let problems = StatsOutput.problems(rows, against: input.reference)
        #expect(problems.isEmpty, "\(problems)")
    }
}

/// A one-shot signal between threads.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false

    func open() {
        condition.withLock {
            isOpen = true
            condition.broadcast()
        }
    }

    /// Waits until opened; the timeout is a failure guard.
    func wait(timeout: Duration = TestEnvironment.defaultTimeout) throws {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        try condition.withLock {
            while !isOpen {
                if !condition.wait(until: deadline) { throw TestFailure("gate not opened within \(timeout)") }
            }
        }
    }
}

/// Deletes a shared input once the suite it is attached to has finished.
struct RemovesSharedInput: SuiteTrait, TestScoping {
    let name: String

    var isRecursive: Bool { false }

    func scopeProvider(for test: Test, testCase: Test.Case?) -> RemovesSharedInput? {
        test.isSuite && testCase == nil ? self : nil
    }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        defer {
            if ProcessInfo.processInfo.environment["SLUICE_E2E_KEEP"] == nil {
                try? FileManager.default.removeItem(atPath: SharedInputs.path(name))
            }
        }
        try await function()
    }
}

extension Trait where Self == RemovesSharedInput {
    static func removesSharedInput(_ name: String) -> Self { RemovesSharedInput(name: name) }
}
