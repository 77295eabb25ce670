import ArgumentParser
import SluiceNexmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `nexmark generate`: writes Nexmark events as JSON lines (the format of `nexmark.md`).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write Nexmark events as JSON lines (same model as nexmark_gen.py).")

    @Option(help: "Number of events to write.")
    var events: Int

    @Option(help: "Output file, or - for standard output.")
    var out: String

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Option(help: "Events per second of event time.")
    var rate: Double = 10_000

    @Option(name: .customLong("base-time-ms"), help: "Event time of event 0, epoch ms (default 2025-01-01T00:00:00Z).")
    var baseTimeMs: Int64 = NexmarkGenerator.Configuration.defaultBaseTime

    @Option(help: "1 - 1/R of bids go to the hot auction.")
    var hotAuctionRatio: Int = 2

    @Option(help: "1 - 1/R of auctions have the hot seller.")
    var hotSellersRatio: Int = 4

    @Option(help: "1 - 1/R of bids come from the hot bidder.")
    var hotBiddersRatio: Int = 4

    @Option(help: "Non-hot sellers and bidders come from the last N people.")
    var numActivePeople: Int = 1000

    @Option(help: "Non-hot bids go to the last N auctions.")
    var numInFlightAuctions: Int = 100

    @Option(help: "Average person size in bytes.")
    var avgPersonBytes: Int = 200

    @Option(help: "Average auction size in bytes.")
    var avgAuctionBytes: Int = 500

    @Option(help: "Average bid size in bytes.")
    var avgBidBytes: Int = 100

    func validate() throws {
        guard events >= 0 else { throw ValidationError("--events must not be negative") }
        guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be positive") }
        guard hotAuctionRatio >= 1, hotSellersRatio >= 1, hotBiddersRatio >= 1 else {
            throw ValidationError("hot ratios must be at least 1")
        }
        guard numActivePeople >= 1, numInFlightAuctions >= 1 else {
            throw ValidationError("--num-active-people and --num-in-flight-auctions must be at least 1")
        }
        guard avgPersonBytes >= 0, avgAuctionBytes >= 0, avgBidBytes >= 0 else {
            throw ValidationError("average sizes must not be negative")
        }
    }

    func run() throws {
        let generator = NexmarkGenerator(configuration: .init(
            seed: seed, rate: rate, baseTime: baseTimeMs,
            numActivePeople: numActivePeople, numInFlightAuctions: numInFlightAuctions,
            hotAuctionRatio: hotAuctionRatio, hotSellersRatio: hotSellersRatio, hotBiddersRatio: hotBiddersRatio,
            avgPersonBytes: avgPersonBytes, avgAuctionBytes: avgAuctionBytes, avgBidBytes: avgBidBytes))
        let clock = ContinuousClock()
        let start = clock.now
        let bytes: Int
        if out == "-" {
            bytes = try generator.write(toFileDescriptor: 1, events: events)
        } else {
            bytes = try generator.writeFile(path: out, events: events)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let perSecond = Double(events) / max(seconds, 1e-9)
        let line = "generated \(events) events (\(bytes) bytes) in \(Fixed.format(seconds, decimals: 3)) s"
            + " (\(Fixed.format(perSecond, decimals: 0)) ev/s, \(Fixed.format(Double(bytes) / max(seconds, 1e-9) / 1e6, decimals: 1)) MB/s)\n"
        var text = line
        text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
