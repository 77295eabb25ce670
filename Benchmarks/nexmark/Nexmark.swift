import ArgumentParser
import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `nexmark`: tools around the Nexmark benchmark (generating input; running queries).
///
/// Exit status: 0 on success, 1 on a runtime failure, 2 on a usage error (as every Sluice binary).
@main
struct Nexmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexmark",
        abstract: "Nexmark benchmark tools for Sluice.",
        subcommands: [Generate.self, Run.self, Latency.self, BoundedState.self, Suite.self]
    )

    static func main() {
        let status = run(arguments: Array(CommandLine.arguments.dropFirst()))
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Musl)
        Musl.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// Parses and runs a command line; returns the exit status.
    static func run(arguments: [String]) -> Int32 {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            writeStderr(fullMessage(for: error) + "\n")
            return 2
        }
        do {
            try command.run()
            return 0
        } catch let error as UsageError {
            writeStderr("error: \(error.message)\n")
            return 2
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))      // e.g. `nexmark` alone prints the help
                return 0
            }
            writeStderr("error: \(code == .failure ? "\(error)" : fullMessage(for: error))\n")
            return code == .validationFailure ? 2 : 1
        }
    }
}
