#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore
import SluiceRuntime

/// Where a sink instance's bytes go.
public protocol OutputTarget: AnyObject {
    /// Whether lines should leave promptly (a socket or terminal) rather than in large writes.
    var prefersLowLatency: Bool { get }
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Flushes to durable storage where that applies, and releases the target.
    func close() throws
}

/// A file (created or truncated), or stdout.
public final class FileTarget: OutputTarget {
    private var fd: Int32
    private let name: String
    public let prefersLowLatency: Bool

    public init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError("cannot create output file \(path): \(Descriptor.describe(errno))") }
        name = path
        prefersLowLatency = false
    }

    /// Standard output.
    public init(stdout: Void) {
        fd = 1
        name = "stdout"
        prefersLowLatency = true
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try Descriptor.writeAll(fd, bytes, name: name)
    }

    public func close() throws {
        guard fd > 1 else { return }
        defer { fd = -1 }
        if fsync(fd) != 0 && errno != EINVAL {
            throw PipelineError("cannot sync \(name): \(Descriptor.describe(errno))")
        }
        if Glibc.close(fd) != 0 {
            throw PipelineError("cannot close \(name): \(Descriptor.describe(errno))")
        }
    }
}

/// A TCP server that Sluice connects to and writes lines to.
///
/// When the peer goes away, the target reconnects with backoff and writes the failed chunk
/// again (at-least-once for that chunk); it stops the pipeline when reconnecting fails.
public final class SocketTarget: OutputTarget {
    private let address: SocketAddress
    private var fd: Int32 = -1
    private var backoff = Backoff()
    public var prefersLowLatency: Bool { true }

    public init(address: SocketAddress) {
        self.address = address
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        while true {
            if fd < 0 { try connect() }
            do {
                try Descriptor.writeAll(fd, bytes, name: "tcp://\(address)")
                return
            } catch {
                Glibc.close(fd)
                fd = -1
                Diagnostics.warning("\(error); reconnecting")
            }
        }
    }

    public func close() throws {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private func connect() throws {
        while true {
            do {
                fd = try address.connect()
                backoff.reset()
                return
            } catch {
                guard let delay = backoff.nextDelay() else {
                    throw PipelineError("output \(error) (gave up after \(backoff.failures) attempts)")
                }
                usleep(UInt32(delay) * 1000)
            }
        }
    }
}
