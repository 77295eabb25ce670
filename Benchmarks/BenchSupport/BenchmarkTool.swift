import Foundation

/// Runs a benchmark tool's work: an error it throws is printed on standard error with the tool's
/// name, and the tool exits with status 1, rather than trapping with a backtrace.
public func runBenchmarkTool(_ body: () throws -> Void) {
    do {
        try body()
    } catch {
        let name = URL(fileURLWithPath: CommandLine.arguments[0]).lastPathComponent
        FileHandle.standardError.write(Data("\(name): \(error.localizedDescription)\n".utf8))
        exit(1)
    }
}
