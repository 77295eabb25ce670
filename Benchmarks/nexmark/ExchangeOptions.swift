import ArgumentParser
import Sluice

/// The exchange setting that `run` and `latency` share, for comparing holding on and off in one
/// build.
struct ExchangeOptions: ParsableArguments {
    @Option(name: .customLong("buffer-timeout-ms"), help: "How long an exchange may hold records to fill a batch, in ms (0: not at all).")
    var bufferTimeoutMs: Int64 = RunOptions(parallelism: 1).exchangeBufferTimeout.milliseconds

    func apply(to options: inout RunOptions) {
        options.exchangeBufferTimeout = .milliseconds(bufferTimeoutMs)
    }
}
