import ArgumentParser
import NexmarkQueries
import Sluice

/// The exchange and watermark alignment settings that `run` and `latency` share, for comparing
/// each on and off in one build.
struct ExchangeOptions: ParsableArguments {
    @Option(name: .customLong("buffer-timeout-ms"), help: "How long an exchange may hold records to fill a batch, in ms (0: not at all).")
    var bufferTimeoutMs: Int64 = RunOptions(parallelism: 1).exchangeBufferTimeout.milliseconds

    @Option(name: .customLong("max-drift-ms"), help: "Watermark alignment: how far ahead in event time a source instance may read, in ms.")
    var maxDriftMs: Int64 = NexmarkQueryOptions().maxDrift?.milliseconds ?? 8_000

    @Flag(name: .customLong("no-alignment"), help: "Let source instances read as far ahead in event time as they like.")
    var noAlignment = false

    @Option(help: "Batches each exchange channel holds before its producer waits.")
    var channelCapacity = RunOptions(parallelism: 1).channelCapacity

    @Option(help: "How the kernel schedules the instance threads: batch or normal.")
    var threadScheduling = RunOptions(parallelism: 1).threadScheduling

    func validate() throws {
        guard maxDriftMs >= 0 else { throw ValidationError("--max-drift-ms must not be negative") }
        guard channelCapacity >= 1 else { throw ValidationError("--channel-capacity must be at least 1") }
    }

    func apply(to options: inout RunOptions) {
        options.exchangeBufferTimeout = .milliseconds(bufferTimeoutMs)
        options.threadScheduling = threadScheduling
        options.channelCapacity = channelCapacity
    }

    func apply(to queryOptions: inout NexmarkQueryOptions) {
        queryOptions.maxDrift = noAlignment ? nil : .milliseconds(maxDriftMs)
    }
}
