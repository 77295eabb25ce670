import ArgumentParser
import BenchSupport
import NexmarkQueries
import Sluice
import SluiceNexmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `nexmark run`: runs one query in process and prints one JSON summary line on stdout.
///
/// ```
/// nexmark run --query q5 --events 10000000 --parallelism 2
/// {"query":"q5","events":10000000,"seconds":4.2,"eventsPerSecond":2380952,"parallelism":2,"cores":2,"cpuSeconds":8.1,"cpuSecondsPerMillionEvents":0.81,"peakRSSBytes":41943040,"rows":27035}
/// ```
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Nexmark query on an event file or on events generated in process.",
        discussion: """
            Prints one JSON line: {"query","events","seconds","eventsPerSecond","parallelism","cores","cpuSeconds","cpuSecondsPerMillionEvents","peakRSSBytes","rows","alignmentPauses","alignmentWaitSeconds"}.
            Without --output the rows are counted and dropped (as Flink's discarding sink).
            Queries: \(NexmarkQuery.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @Option(help: "The query: q0, q1, q2, q3, q4, q5, q7, q8, q11 or q12.")
    var query: String

    @Option(help: "A JSON-lines event file (as `nexmark generate` writes).")
    var input: String?

    @Option(help: "Generate this many events in process instead of reading a file.")
    var events: Int?

    @Option(help: "Instances of each stage (default: the number of cores).")
    var parallelism: Int = RunOptions.availableCores

    @Option(help: "Write the rows as JSON lines to this file (default: count and drop them).")
    var output: String?

    @Option(help: "Random seed of the generated events (with --events).")
    var seed: UInt64 = 0

    @Option(name: .customLong("max-auction-duration-ms"), help: "q4: the longest an auction may last, in ms.")
    var maxAuctionDurationMs: Int64 = 60_000

    @Option(help: "Run on the first N of the CPUs this process may use (Linux): for scaling with cores, not only parallelism.")
    var cores: Int?

    @OptionGroup var exchange: ExchangeOptions

    func validate() throws {
        guard NexmarkQuery(name: query) != nil else {
            throw ValidationError("unknown query \"\(query)\" (queries: \(NexmarkQuery.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        switch (input, events) {
        case (nil, nil): throw ValidationError("give --input FILE or --events N")
        case (.some, .some): throw ValidationError("give either --input or --events, not both")
        default: break
        }
        if let events, events < 0 { throw ValidationError("--events must not be negative") }
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
        if let cores, cores < 1 { throw ValidationError("--cores must be at least 1") }
        guard maxAuctionDurationMs > 0 else { throw ValidationError("--max-auction-duration-ms must be positive") }
    }

    func run() throws {
        let query = NexmarkQuery(name: query)!
        if let cores { try CoreAffinity.restrict(toFirst: cores) }
        let source: NexmarkInput
        var options = RunOptions(parallelism: parallelism)
        options.onBadRecord = .fail
        exchange.apply(to: &options)
        if let input {
            source = .file
            options.inputs[PipelineBuilder.nexmarkSourceName] = input
        } else {
            source = .generated(count: events ?? 0, generator: NexmarkGenerator(seed: seed))
        }
        let sink: NexmarkSink
        if let output {
            sink = .file(name: "out")
            options.outputs["out"] = output
        } else {
            sink = .discard
        }
        var queryOptions = NexmarkQueryOptions()
        queryOptions.maxAuctionDuration = .milliseconds(maxAuctionDurationMs)
        exchange.apply(to: &queryOptions)
        let pipeline = Pipeline { p in query.define(&p, input: source, sink: sink, options: queryOptions) }

        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let started = clock.now
        let summary = try pipeline.run(options)
        let elapsed = clock.now - started
        let cpuSeconds = processCPUSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if summary.droppedLateRecords > 0 {
            writeStderr("warning: \(summary.droppedLateRecords) records arrived after their windows closed and were dropped\n")
        }
        let eventCount = events ?? summary.recordsIn
        let line = RunSummaryLine(query: query.rawValue, events: eventCount, seconds: seconds, cpuSeconds: cpuSeconds,
                                  parallelism: parallelism, cores: CoreAffinity.availableCores ?? cores ?? RunOptions.availableCores,
                                  peakRSSBytes: peakRSSBytes(), rows: summary.recordsOut,
                                  alignmentPauses: summary.alignmentPauses, alignmentWaitSeconds: summary.alignmentWaitSeconds)
        print(line.json)
    }
}

/// The one line `nexmark run` prints.
struct RunSummaryLine {
    var query: String
    var events: Int
    var seconds: Double
    /// User and system CPU time of the run, all threads.
    var cpuSeconds: Double
    var parallelism: Int
    /// The CPUs the run could use, as its CPU mask says (with `--cores`, after restricting it).
    var cores: Int
    var peakRSSBytes: Int
    var rows: Int
    /// Times a source instance paused for running ahead in event time (watermark alignment).
    var alignmentPauses: Int
    /// Time source instances spent paused, in all.
    var alignmentWaitSeconds: Double

    var eventsPerSecond: Double { Double(events) / max(seconds, 1e-9) }
    /// CPU seconds per million events: what a run costs, whatever the parallelism.
    var cpuSecondsPerMillionEvents: Double { cpuSeconds / max(Double(events) / 1e6, 1e-9) }

    var json: String {
        #"{"query":"\#(query)","events":\#(events),"seconds":\#(Fixed.format(seconds, decimals: 6)),"#
            + #""eventsPerSecond":\#(Fixed.format(eventsPerSecond, decimals: 0)),"parallelism":\#(parallelism),"cores":\#(cores),"#
            + #""cpuSeconds":\#(Fixed.format(cpuSeconds, decimals: 3)),"cpuSecondsPerMillionEvents":\#(Fixed.format(cpuSecondsPerMillionEvents, decimals: 3)),"#
            + #""peakRSSBytes":\#(peakRSSBytes),"rows":\#(rows),"alignmentPauses":\#(alignmentPauses),"#
            + #""alignmentWaitSeconds":\#(Fixed.format(alignmentWaitSeconds, decimals: 3))}"#
    }
}

/// The peak resident set size of this process so far, in bytes.
///
/// On Linux this is the address space's own high-water mark (`VmHWM`). `getrusage`'s
/// `ru_maxrss` is not: a child made by fork and exec starts with its parent's peak, so every run
/// `nexmark suite` started after generating its input file in process reported the suite's
/// 30 MB.
func peakRSSBytes() -> Int {
    #if os(Linux)
    let kilobytes = highWaterKilobytes(of: getpid())
    if kilobytes > 0 { return kilobytes * 1024 }
    #endif
    var usage = rusage()
    #if canImport(Glibc)
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return -1 }
    return Int(usage.ru_maxrss) * 1024          // KiB on Linux
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return -1 }
    return Int(usage.ru_maxrss)                 // bytes on Darwin
    #endif
}

/// User plus system CPU time of this process so far, in seconds.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if canImport(Glibc)
    guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
    #else
    guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
    #endif
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Writes `text` to standard error, unbuffered.
func writeStderr(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
}
