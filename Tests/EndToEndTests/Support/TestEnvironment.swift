#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// Where the binaries are, where scratch files go, and process-wide settings of the suite.
enum TestEnvironment {
    /// Failure guard for one run of a binary (a debug build on a loaded 2-core machine).
    static let defaultTimeout: Duration = .seconds(180)

    /// The test process writes to pipes and sockets whose readers may be gone: it must get
    /// EPIPE, not die of SIGPIPE. Evaluated once, on first use.
    static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN); return () }()

    /// The directory holding the test bundle and the binaries it depends on
    /// (`swift build --build-tests` puts both in `.build/<config>/`).
    static let binDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["SLUICE_E2E_BIN_DIR"] { return override }
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = (exe as NSString).deletingLastPathComponent
            candidates.append(directory)
            // On some platforms the runner is inside a bundle: walk up a few levels.
            for _ in 0..<4 {
                directory = (directory as NSString).deletingLastPathComponent
                candidates.append(directory)
            }
        }
        // Fallback: the package's own .build directory.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        candidates += ["\(packageRoot)/.build/debug", "\(packageRoot)/.build/release"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/auctionstats") }
            ?? candidates.first ?? "."
    }()

    /// The `auctionstats` sample pipeline binary.
    static var auctionstats: String { "\(binDirectory)/auctionstats" }

    /// The `recommendations` flagship pipeline binary.
    static var recommendations: String { "\(binDirectory)/recommendations" }

    /// One directory per test run under the temporary directory; directories of earlier runs
    /// whose process is gone are removed first.
    static let runDirectory: String = {
        let base = NSTemporaryDirectory()
        let prefix = "sluice-e2e-"
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: base) {
            for entry in entries where entry.hasPrefix(prefix) {
                if let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0 && errno == ESRCH {
                    try? FileManager.default.removeItem(atPath: (base as NSString).appendingPathComponent(entry))
                }
            }
        }
        let path = (base as NSString).appendingPathComponent("\(prefix)\(getpid())")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    private static let counter = Counter()

    /// A new empty directory for one test; `remove()` deletes it (kept when
    /// `SLUICE_E2E_KEEP` is set, for debugging).
    static func scratch(_ name: String) throws -> Scratch {
        let path = "\(runDirectory)/\(name)-\(counter.next())"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return Scratch(path: path)
    }

    /// Tests that take half a minute or more run only when `SLUICE_E2E_SLOW` is set.
    static var slowTestsEnabled: Bool { ProcessInfo.processInfo.environment["SLUICE_E2E_SLOW"] != nil }
}

/// A test's own directory.
struct Scratch: Sendable {
    let path: String

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func remove() {
        guard ProcessInfo.processInfo.environment["SLUICE_E2E_KEEP"] == nil else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// A thread-safe counter for unique names.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// Whole-file helpers.
enum Files {
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestFailure("cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func write(_ bytes: some Sequence<UInt8>, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw TestFailure("cannot write \(path)")
        }
    }

    /// A file of /proc, read to its end (they report size 0, so readers that trust the
    /// size stop after the first page).
    static func readProc(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? -1
    }
}
