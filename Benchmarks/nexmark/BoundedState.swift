import ArgumentParser
import NexmarkQueries

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `nexmark bounded-state`: shows that windowed queries keep flat state. Runs each query in a
/// fresh process (`nexmark run --events N`) on a small and a large number of generated events and
/// prints each run's summary line, then one line per query comparing the peak RSS:
///
/// ```
/// {"query":"q5","events":1000000,…,"peakRSSBytes":30932992,"rows":…}
/// {"query":"q5","events":10000000,…,"peakRSSBytes":31457280,"rows":…}
/// {"query":"q5","boundedState":true,"peakRSSBytes":[30932992,31457280],"growth":1.017}
/// ```
/// `boundedState` is true when the largest run's peak RSS is within `--tolerance` of the
/// smallest's; the exit status is 1 when a query is not bounded or a run fails.
struct BoundedState: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bounded-state",
        abstract: "Run windowed queries on growing inputs and compare their peak RSS.")

    @Option(help: "Comma-separated queries.")
    var queries: String = "q5,q7,q8,q11"

    @Option(help: "Comma-separated event counts, smallest first.")
    var events: String = "1000000,10000000"

    @Option(help: "Instances of each stage.")
    var parallelism: Int = 2

    @Option(help: "Largest allowed ratio of the peak RSS of the largest run to the smallest's.")
    var tolerance: Double = 1.5

    func validate() throws {
        guard !parsedQueries.isEmpty, parsedQueries.allSatisfy({ NexmarkQuery(name: $0) != nil }) else {
            throw ValidationError("--queries: give known queries, e.g. q5,q7,q8,q11")
        }
        guard parsedEvents.count >= 2, parsedEvents.allSatisfy({ $0 != nil && $0! > 0 }) else {
            throw ValidationError("--events: give at least two positive counts, e.g. 1000000,10000000")
        }
        guard parallelism >= 1 else { throw ValidationError("--parallelism must be at least 1") }
    }

    private var parsedQueries: [String] { queries.split(separator: ",").map(String.init) }
    private var parsedEvents: [Int?] { events.split(separator: ",").map { Int($0) } }

    func run() throws {
        let executable = try ownExecutable()
        var allBounded = true
        for query in parsedQueries {
            var peaks: [Int] = []
            for count in parsedEvents.compactMap({ $0 }) {
                let line = try runChild(executable, ["run", "--query", query, "--events", String(count),
                                                     "--parallelism", String(parallelism)])
                print(line)
                guard let peak = Self.integerField("peakRSSBytes", in: line) else {
                    throw RunFailure("no peakRSSBytes in the summary of \(query) on \(count) events: \(line)")
                }
                peaks.append(peak)
            }
            let growth = Double(peaks.last!) / Double(max(peaks.first!, 1))
            let bounded = growth <= tolerance
            allBounded = allBounded && bounded
            let list = peaks.map(String.init).joined(separator: ",")
            print(#"{"query":"\#(NexmarkQuery(name: query)!.rawValue)","boundedState":\#(bounded),"peakRSSBytes":[\#(list)],"growth":\#(Fixed.format(growth, decimals: 3))}"#)
        }
        if !allBounded { throw ExitCode.failure }
    }

    /// The value of an integer field of a one-line JSON object.
    static func integerField(_ name: String, in line: String) -> Int? {
        let pattern = Array("\"\(name)\":".utf8), bytes = Array(line.utf8)
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where Array(bytes[start..<start + pattern.count]) == pattern {
            let digits = bytes[(start + pattern.count)...].prefix { $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            return Int(String(decoding: digits, as: UTF8.self))
        }
        return nil
    }
}

struct RunFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The path of the running binary.
func ownExecutable() throws -> String {
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard length > 0 else { throw RunFailure("cannot find the nexmark binary (/proc/self/exe)") }
    return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Runs `executable` with `arguments` (stderr passed through) and returns its stdout, trimmed;
/// throws if it does not exit 0.
func runChild(_ executable: String, _ arguments: [String]) throws -> String {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw RunFailure("pipe: \(String(cString: strerror(errno)))") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var child: pid_t = 0
    let code = posix_spawn(&child, executable, &actions, nil, argv, environ)
    close(fds[1])
    guard code == 0 else {
        close(fds[0])
        throw RunFailure("cannot start \(executable): \(String(cString: strerror(code)))")
    }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fds[0], &chunk, chunk.count)
        if n > 0 { output.append(contentsOf: chunk[0..<n]); continue }
        if n < 0 && errno == EINTR { continue }
        break
    }
    close(fds[0])
    var status: Int32 = 0
    while waitpid(child, &status, 0) < 0 && errno == EINTR {}
    let text = String(decoding: output, as: UTF8.self)
    let exited = (status & 0x7f) == 0
    guard exited && (status >> 8) & 0xff == 0 else {
        throw RunFailure("\(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
    }
    return text.split(separator: "\n").last.map(String.init) ?? ""
}
