#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import SluiceConnectors
import SluiceCore
import SluiceDSL
import SluiceRuntime

/// A pipeline binary: implement `define`, mark the type `@main`, and it gets the command line
/// of every Sluice pipeline.
///
/// ```swift
/// @main struct BigBids: PipelineMain {
///     static func define(_ p: inout PipelineBuilder) throws {
///         p.source("bids", format: .jsonLines(Bid.self))
///             .filter { $0.price > 1_000_000 }
///             .sink("out", format: .jsonLines)
///     }
/// }
/// ```
/// Exit status: 0 when the input was fully processed, 1 on a runtime failure, 2 on a usage error.
public protocol PipelineMain {
    /// Declares the pipeline's sources, steps and sinks.
    static func define(_ p: inout PipelineBuilder) throws
}

extension PipelineMain {
    public static func main() {
        exit(PipelineCommand.run(arguments: Array(CommandLine.arguments.dropFirst()), define: define))
    }
}

/// Parses the command line, runs the pipeline, and maps the outcome to an exit status.
public enum PipelineCommand {
    /// Parses a duration written as the command line writes them (`500ms`, `5s`, `1m`, `2h`);
    /// for a pipeline's own options. The error names `flag`.
    public static func duration(_ text: String, flag: String) throws -> Duration {
        try PipelineOptions.duration(text, flag: flag)
    }

    public static func run(arguments: [String], define: (inout PipelineBuilder) throws -> Void) -> Int32 {
        let options: PipelineOptions
        do {
            options = try PipelineOptions.parse(arguments)
        } catch {
            let code = PipelineOptions.exitCode(for: error)
            let message = PipelineOptions.fullMessage(for: error)
            if code == .success {
                print(message)
                return 0
            }
            Diagnostics.write(message + "\n")
            return 2
        }
        do {
            let pipeline = try Pipeline(define)
            let runOptions = try options.runOptions(for: pipeline)
            if options.explain {
                print(try pipeline.plan(runOptions))
                return 0
            }
            SignalTrap.install()
            let context = ExecutionContext()
            var progressLine = ProgressLine()
            let showProgress = !options.quiet && ProgressLine.isTerminal
            let metrics = try options.metricsPort.map { try MetricsServer(port: $0) }
            defer { metrics?.stop() }
            let summary = try pipeline.run(runOptions, context: context) { progress in
                metrics?.attach(progress)
                if SignalTrap.stopRequested && !context.isStopping {
                    context.requestStop()
                }
                if showProgress { progressLine.update(progress) }
            }
            if showProgress { Diagnostics.write("\r\u{1B}[K") }
            Diagnostics.setProgressLineVisible(false)
            if summary.droppedLateRecords > 0 {
                Diagnostics.warning("\(summary.droppedLateRecords) records arrived after their windows closed and were counted, not processed (give the window a lateRecords output to keep them)")
            }
            if summary.badRecords > 0 {
                Diagnostics.warning("\(summary.badRecords) bad records skipped, written to \(runOptions.resolvedDeadLetterPath(sinkNames: pipeline.sinkNames))")
            }
            return 0
        } catch let error as UsageError {
            Diagnostics.error(error.message)
            return 2
        } catch {
            Diagnostics.error("\(error)")
            return 1
        }
    }
}
