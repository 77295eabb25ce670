import SluiceCore
import SluiceConnectors
import SluiceRuntime

/// How to run a pipeline: the command line's options, as values.
public struct RunOptions: Sendable {
    /// Source name → input URI.
    public var inputs: [String: String] = [:]
    /// Sink name → output URI.
    public var outputs: [String: String] = [:]
    /// Instances of each keyed stage and of each file source.
    public var parallelism: Int
    public var maxParallelism = KeyGroups.defaultMaxParallelism
    /// Keep reading inputs as they grow.
    public var follow = false
    public var maxLineBytes = 1 << 20
    public var onBadRecord = BadRecordPolicy.fail
    /// Where skipped records go; nil means the default of design.md §2.
    public var deadLetterPath: String?
    /// Show a progress line on stderr.
    public var showProgress = false
    /// Records per batch handed between threads.
    public var batchSize = 1024
    /// Batches each exchange channel holds before its producer waits.
    ///
    /// Eight rather than four: where a consumer's pace varies from batch to batch (q4's join
    /// expires auctions and fires timers as the watermark moves), four filled up, stalled the
    /// producer, and then left the consumer idle in turn. Nexmark q4 ran 15 % faster at
    /// parallelism 1 and 4 % at 2 with eight; the windowed queries did not move beyond the noise.
    /// The price is what waits in the channels: q5's results follow the closing of their window
    /// a few milliseconds later (p99 28–32 → 34–39 ms at half the maximum rate). Sixteen gained
    /// no more events/s and cost more latency (p99 42 ms). docs/performance.md has the runs.
    public var channelCapacity = 8
    /// How long an exchange may hold records back to fill a batch of `batchSize` for a
    /// consumer (Flink's buffer timeout); `.zero` sends each part as it comes. Holding also ends
    /// whenever the producing thread has read all the input there is for now, so a slow input is
    /// not delayed by it.
    public var exchangeBufferTimeout: Duration = .milliseconds(5)
    /// How the kernel schedules the instance threads (``ThreadScheduling``): `batch` keeps a
    /// woken consumer from preempting the producer that fills its gate, which saves context
    /// switches where the instances share the cores.
    public var threadScheduling = ThreadScheduling.batch
    /// Where checkpoints go; nil disables them.
    public var checkpointDirectory: String?
    /// Time between checkpoints.
    public var checkpointInterval: Duration = .seconds(10)
    /// Complete checkpoints kept; older ones are deleted.
    public var retainedCheckpoints = 3
    /// zstd level of snapshot files.
    public var snapshotCompressionLevel: Int32 = 1
    /// Resume from a checkpoint.
    public var resume: ResumePoint?

    /// Which checkpoint a run resumes from.
    public enum ResumePoint: Sendable, Equatable {
        /// The newest complete, valid checkpoint in the checkpoint directory.
        case latest
        /// A checkpoint directory (`DIR/chk-N`).
        case path(String)
    }

    public init(parallelism: Int = RunOptions.availableCores) {
        self.parallelism = parallelism
    }

    /// Online processor cores.
    public static var availableCores: Int { max(1, Int(sysconfCores())) }

    /// `dead-letter.jsonl` beside the first file output, else in the working directory.
    public func resolvedDeadLetterPath(sinkNames: [String]) -> String {
        if let deadLetterPath { return deadLetterPath }
        for name in sinkNames {
            guard let uri = outputs[name], let endpoint = try? OutputEndpoint.parse(uri) else { continue }
            switch endpoint {
            case .file(let path): return directoryOf(path) + "dead-letter.jsonl"
            case .directory(let path):
                // Beside the directory, not in it: readers of the part files should not meet it.
                let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
                return directoryOf(trimmed) + "dead-letter.jsonl"
            case .stdout, .connect: continue
            }
        }
        return "dead-letter.jsonl"
    }

    private func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }
}

#if canImport(Glibc)
import Glibc
private func sysconfCores() -> Int { sysconf(Int32(_SC_NPROCESSORS_ONLN)) }
#else
import Darwin
private func sysconfCores() -> Int { sysconf(_SC_NPROCESSORS_ONLN) }
#endif
