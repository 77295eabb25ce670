#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// How a finished child process ended, with everything it wrote.
struct ProcessOutcome: Sendable {
    /// The exit code, or nil when a signal ended the process.
    var exitCode: Int32?
    /// The signal that ended the process, if one did.
    var signal: Int32?
    var stdout: [UInt8]
    var stderr: String
    /// Peak resident set size in KiB (`VmHWM`, sampled while the process ran), when sampled.
    ///
    /// Not `wait4`'s `ru_maxrss`: glibc's `posix_spawn` runs the child on the parent's memory
    /// (`CLONE_VM`) until `exec`, and the kernel folds that memory's high-water mark into
    /// the child's, so `ru_maxrss` reports at least the test process's own peak.
    var peakRSSKiB: Int?
    /// True when the failure-guard timeout ran out and the test killed the process.
    var timedOut: Bool

    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }

    /// A one-line summary for failure messages.
    var summary: String {
        let status = exitCode.map { "exit \($0)" } ?? "signal \(signal ?? 0)"
        return "\(status)\(timedOut ? " (killed after timeout)" : ""); stderr: \(stderr.suffix(2000))"
    }
}

/// A child process (`posix_spawn`) with its stdin, stdout and stderr on pipes.
///
/// Threads of its own drain stdout and stderr and reap the process, so that a
/// test can wait on a line of stderr, on exit, or write to stdin without deadlocking on a full
/// pipe. Every descriptor the test creates is close-on-exec, so concurrently spawned children
/// never hold each other's pipes or sockets open.
final class ChildProcess: @unchecked Sendable {
    enum Input { case pipe, null }

    let pid: pid_t
    let commandLine: String
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var stdinFD: Int32
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    private var openStreams = 2
    private var reaped: Int32?  // the wait status
    private var killedAfterTimeout = false
    private var sampledPeakKiB: Int?

    /// Starts `executable` with `arguments` in `directory` (default: the current one).
    /// - Parameters:
    ///   - environment: variables set for the child on top of the runner's own.
    ///   - sampleMemory: sample the child's `VmHWM` every 10 ms for `peakRSSKiB`.
    init(_ executable: String, _ arguments: [String], stdin input: Input = .null, directory: String? = nil,
         environment: [String: String] = [:], sampleMemory: Bool = false) throws {
        TestEnvironment.ignoreSIGPIPE
        commandLine = ([executable] + arguments).joined(separator: " ")
        if directory != nil && Self.addChdir == nil {
            throw TestFailure("posix_spawn_file_actions_addchdir_np is not available")
        }
        let stdinPipe = try Self.makePipe()
        let stdoutPipe = try Self.makePipe()
        let stderrPipe = try Self.makePipe()

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input == .pipe {
            posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        if let directory, let addChdir = Self.addChdir {
            _ = addChdir(&actions, directory)
        }

        // The child starts with default dispositions and an empty mask, whatever the runner has.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, set in set }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var child: pid_t = 0
        let code = Self.spawnLock.withLock {
            let code = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
            for fd in [stdinPipe.read, stdoutPipe.write, stderrPipe.write] { close(fd) }
            return code
        }
        guard code == 0 else {
            for fd in [stdinPipe.write, stdoutPipe.read, stderrPipe.read] { close(fd) }
            throw TestFailure("cannot spawn \(executable): \(String(cString: strerror(code)))")
        }
        pid = child
        if input == .pipe {
            stdinFD = stdinPipe.write
        } else {
            close(stdinPipe.write)
            stdinFD = -1
        }
        startDraining(stdoutPipe.read, isStdout: true)
        startDraining(stderrPipe.read, isStdout: false)
        startReaping()
        if sampleMemory { startSampling() }
    }

    // MARK: - Talking to the child

    /// Writes all of `bytes` to the child's stdin (blocking while the pipe is full).
    func writeStdin(_ bytes: some Collection<UInt8>) throws {
        let fd = condition.withLock { stdinFD }
        guard fd >= 0 else { throw TestFailure("stdin of \(pid) is not a pipe or is closed") }
        try Array(bytes).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TestFailure("writing to stdin of \(pid): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    /// Closes the child's stdin: end of input.
    func closeStdin() {
        condition.withLock {
            if stdinFD >= 0 { close(stdinFD) }
            stdinFD = -1
        }
    }

    /// Sends a signal (not to a reaped process, whose pid may be reused).
    func send(_ signal: Int32) {
        condition.withLock {
            if reaped == nil { kill(pid, signal) }
        }
    }

    /// Kills the process if it still runs: `defer` it after starting one, so that a test that
    /// fails early leaves nothing behind.
    func killIfRunning() {
        send(SIGKILL)
    }

    /// Peak RSS of the running process (`VmHWM`), in KiB; nil once it has exited.
    var currentPeakRSSKiB: Int? {
        guard let text = Files.readProc("/proc/\(pid)/status") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }

    /// Bytes the running process has read with read(2)/pread(2) so far (`rchar` of
    /// `/proc/PID/io`); nil once it has exited.
    var bytesRead: Int? {
        guard let text = Files.readProc("/proc/\(pid)/io") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("rchar:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Stderr so far.
    var stderrSoFar: String { condition.withLock { String(decoding: stderrBytes, as: UTF8.self) } }

    // MARK: - Waiting (the timeouts are failure guards, never synchronisation)

    /// Blocks until `match` finds something in stderr, the child exits, or `timeout` runs out.
    func waitForStderr<T>(timeout: Duration = TestEnvironment.defaultTimeout,
                          _ match: (String) -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let found = match(String(decoding: stderrBytes, as: UTF8.self)) { return found }
            if reaped != nil && openStreams == 0 {
                throw TestFailure("\(commandLine) exited before writing what the test waits for; stderr: \(String(decoding: stderrBytes, as: UTF8.self))")
            }
            if !condition.wait(until: deadline) {
                throw TestFailure("timed out waiting for stderr of \(commandLine); stderr: \(String(decoding: stderrBytes, as: UTF8.self))")
            }
        }
    }

    /// Blocks until stdout holds at least `lines` newline-terminated lines.
    func waitForStdout(lines: Int, timeout: Duration = TestEnvironment.defaultTimeout) throws {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        var counted = 0
        var scanned = 0
        while true {
            counted += stdoutBytes[scanned...].reduce(0) { $1 == 10 ? $0 + 1 : $0 }
            scanned = stdoutBytes.count
            if counted >= lines { return }
            if reaped != nil && openStreams == 0 {
                throw TestFailure("\(commandLine) exited after \(counted) of \(lines) lines; stderr: \(String(decoding: stderrBytes, as: UTF8.self))")
            }
            if !condition.wait(until: deadline) {
                throw TestFailure("timed out after \(counted) of \(lines) lines on stdout of \(commandLine)")
            }
        }
    }

    /// The port in the "listening on tcp://127.0.0.1:PORT" line the binary prints when it binds.
    func listeningPort(timeout: Duration = TestEnvironment.defaultTimeout) throws -> UInt16 {
        try port(after: "listening on tcp://127.0.0.1:", timeout: timeout)
    }

    /// The port in the first complete stderr line where `prefix` (ending with "HOST:") comes
    /// just before it: a server's announcement of where it listens.
    func port(after prefix: String, timeout: Duration = TestEnvironment.defaultTimeout) throws -> UInt16 {
        try waitForStderr(timeout: timeout) { text in
            guard let range = text.range(of: prefix) else { return nil }
            let digits = text[range.upperBound...].prefix { $0.isNumber }
            guard let lineEnd = text[range.upperBound...].firstIndex(of: "\n"),
                  digits.endIndex <= lineEnd else { return nil }
            return UInt16(digits)
        }
    }

    /// Blocks until the child has exited and its pipes are drained. When `timeout` runs out the
    /// child is killed with SIGKILL and the outcome says `timedOut`.
    func waitForExit(timeout: Duration = TestEnvironment.defaultTimeout) -> ProcessOutcome {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        condition.lock()
        defer { condition.unlock() }
        while reaped == nil || openStreams > 0 {
            if condition.wait(until: deadline) { continue }
            if reaped == nil {
                killedAfterTimeout = true
                kill(pid, SIGKILL)
            }
            while reaped == nil || openStreams > 0 { condition.wait() }
        }
        if stdinFD >= 0 {
            close(stdinFD)
            stdinFD = -1
        }
        let status = reaped!
        let exited = (status & 0x7f) == 0
        return ProcessOutcome(
            exitCode: exited ? (status >> 8) & 0xff : nil,
            signal: exited ? nil : status & 0x7f,
            stdout: stdoutBytes,
            stderr: String(decoding: stderrBytes, as: UTF8.self),
            peakRSSKiB: sampledPeakKiB,
            timedOut: killedAfterTimeout)
    }

    /// `waitForExit` off the cooperative pool.
    func exit(timeout: Duration = TestEnvironment.defaultTimeout) async -> ProcessOutcome {
        await onThread { self.waitForExit(timeout: timeout) }
    }

    // MARK: - Internals

    /// Held while a descriptor is made close-on-exec and while a child is spawned, so that no
    /// child inherits another one's pipe ends (Glibc's module exports neither `pipe2` nor
    /// `accept4`). Sockets are created close-on-exec atomically (`SOCK_CLOEXEC`).
    static let spawnLock = NSLock()

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        try spawnLock.withLock {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw TestFailure("pipe: \(String(cString: strerror(errno)))") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return (fds[0], fds[1])
        }
    }

    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which the Glibc module hides.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private func startDraining(_ fd: Int32, isStdout: Bool) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                condition.withLock {
                    if isStdout { stdoutBytes.append(contentsOf: chunk[..<n]) } else { stderrBytes.append(contentsOf: chunk[..<n]) }
                    condition.broadcast()
                }
            }
            close(fd)
            condition.withLock {
                openStreams -= 1
                condition.broadcast()
            }
        }
        thread.start()
    }

    private func startSampling() {
        let thread = Thread { [self] in
            condition.lock()
            while reaped == nil {
                condition.unlock()
                let sample = currentPeakRSSKiB
                condition.lock()
                if let sample { sampledPeakKiB = max(sampledPeakKiB ?? 0, sample) }
                _ = condition.wait(until: Date().addingTimeInterval(0.01))
            }
            condition.unlock()
        }
        thread.start()
    }

    private func startReaping() {
        let pid = pid
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            condition.withLock {
                reaped = status
                condition.broadcast()
            }
        }
        thread.start()
    }
}

/// Runs a binary to completion with stdin from /dev/null.
func run(_ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String] = [:],
         timeout: Duration = TestEnvironment.defaultTimeout) async throws -> ProcessOutcome {
    let child = try ChildProcess(executable, arguments, directory: directory, environment: environment)
    return await child.exit(timeout: timeout)
}

/// Runs `body` on a thread of its own, keeping blocking calls off Swift's cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Runs `body` on a thread of its own, keeping blocking calls off Swift's cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// Starts `body` on a thread of its own now; `value` waits for its result.
struct Background<T: Sendable>: Sendable {
    private let box = ResultBox<T>()

    init(_ body: @escaping @Sendable () throws -> T) {
        let box = box
        Thread { box.set(Result { try body() }) }.start()
    }

    /// Waits for the thread's result (off the cooperative pool).
    var value: T {
        get async throws {
            let box = box
            return try await onThread { try box.get().get() }
        }
    }
}

/// A result handed from one thread to another.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) {
        condition.withLock {
            result = value
            condition.broadcast()
        }
    }

    func get() -> Result<T, any Error> {
        condition.withLock {
            while result == nil { condition.wait() }
            return result!
        }
    }
}

/// A failure inside a helper, with the reason.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
