#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import Testing
import SluiceCore
import SluiceRuntime
@testable import SluiceConnectors

/// A line input that delivers a fixed list of reads, each a list of lines.
private final class ScriptedInput: LineInput {
    private var reads: [[String]]

    init(reads: [[String]]) { self.reads = reads }

    func read(_ body: (SourceLine) throws -> Void) throws -> Bool {
        guard !reads.isEmpty else { return false }
        for line in reads.removeFirst() {
            try Array(line.utf8).withUnsafeBytes { try body(SourceLine(bytes: $0, kind: .record)) }
        }
        return !reads.isEmpty
    }

    func currentLocation() -> (source: String, line: Int) { ("scripted", 0) }
    func close() {}
}

/// Logs what a source hands downstream, in order.
private final class Log: BatchReceiver {
    var events: [String] = []
    func receive(_ batch: Batch<Int>) throws { events.append("batch \(Array(batch.records))") }
    func receiveWatermark(_ watermark: EventTime) throws { events.append("watermark") }
    func receiveBarrier(_ checkpoint: any CheckpointCollector) throws {}
    func inputDrained() throws { events.append("drained") }
    func finish() throws { events.append("finish") }
}

@Suite("SourceRunner")
struct SourceRunnerTests {
    @Test("each read's records go on at once, followed by word that the input is drained for now")
    func drainedAfterEachRead() throws {
        let directory = try TemporaryDirectory()
        let log = Log()
        let runner = SourceRunner(
            input: ScriptedInput(reads: [["1", "2"], ["3"]]),
            format: .lines { bytes throws(RecordDecodingError) in Int(String(decoding: bytes, as: UTF8.self))! },
            badRecords: BadRecordHandler(policy: .fail, deadLetter: DeadLetterFile(path: directory.path + "/dead.jsonl")),
            context: ExecutionContext(), downstream: log, recordsIn: Counter())
        try runner.run()
        #expect(log.events == ["batch [1, 2]", "drained", "batch [3]", "drained", "finish"])
    }
}

@Suite("SourceRunner's decoder")
struct SourceRunnerDecoderTests {
    /// The threads that made a decoder, and the one that ran the source.
    final class Threads: Sendable {
        let makers = Mutex<[pthread_t]>([])
        let runner = Mutex<pthread_t?>(nil)
    }

    @Test("is made by the thread that runs the source, not by the one that built it")
    func madeOnTheRunningThread() throws {
        let directory = try TemporaryDirectory()
        let threads = Threads()
        let lines = SourceFormat<Int>.lines { bytes throws(RecordDecodingError) in Int(String(decoding: bytes, as: UTF8.self))! }
        let format = SourceFormat<Int> {
            threads.makers.withLock { $0.append(pthread_self()) }
            return lines.makeDecoder()
        }
        let log = Log()
        let runner = SourceRunner(
            input: ScriptedInput(reads: [["1", "2"]]), format: format,
            badRecords: BadRecordHandler(policy: .fail, deadLetter: DeadLetterFile(path: directory.path + "/dead.jsonl")),
            context: ExecutionContext(), downstream: log, recordsIn: Counter())
        #expect(threads.makers.withLock { $0 }.isEmpty)
        InstanceThread.start(name: "decoder-maker") {
            threads.runner.withLock { $0 = pthread_self() }
            try? runner.run()
        }.join()
        let runningThread = try #require(threads.runner.withLock { $0 })
        #expect(threads.makers.withLock { $0 } == [runningThread])
        #expect(log.events == ["batch [1, 2]", "drained", "finish"])
    }
}
