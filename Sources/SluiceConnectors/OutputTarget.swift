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
    /// Makes what was written durable and returns how much that is, for a checkpoint; nil
    /// for targets that cannot be rewound (sockets, stdout), which are at-least-once.
    func commit() throws -> (path: String, bytes: Int64)?
    /// Cuts the output back to its first `bytes` (a file; others ignore it).
    func rewind(to bytes: Int64) throws
    /// Flushes to durable storage where that applies, and releases the target.
    func close() throws
}

/// A file (created or truncated), or stdout.
public final class FileTarget: OutputTarget {
    private var fd: Int32
    private let name: String
    private var written: Int64 = 0
    public let prefersLowLatency: Bool

    /// Creates (or empties) the file; when resuming, keeps its first `committedBytes` (what a
    /// checkpoint made durable) and cuts away the rest, which a resumed run writes again.
    public init(path: String, resumingAt committedBytes: Int64? = nil) throws {
        let truncate = committedBytes == nil ? O_TRUNC : 0
        fd = open(path, O_WRONLY | O_CREAT | truncate | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipelineError("cannot create output file \(path): \(Descriptor.describe(errno))") }
        name = path
        prefersLowLatency = false
        if let committedBytes {
            guard ftruncate(fd, off_t(committedBytes)) == 0, lseek(fd, off_t(committedBytes), SEEK_SET) >= 0 else {
                throw PipelineError("cannot rewind output file \(path) to its checkpoint: \(Descriptor.describe(errno))")
            }
            written = committedBytes
        }
    }

    /// Standard output.
    public init(stdout: Void) {
        fd = 1
        name = "stdout"
        prefersLowLatency = true
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try Descriptor.writeAll(fd, bytes, name: name)
        written += Int64(bytes.count)
    }

    public func rewind(to bytes: Int64) throws {
        guard fd > 1, bytes < written else { return }
        guard ftruncate(fd, off_t(bytes)) == 0, lseek(fd, off_t(bytes), SEEK_SET) >= 0 else {
            throw PipelineError("cannot cut \(name) back to its last checkpoint: \(Descriptor.describe(errno))")
        }
        written = bytes
    }

    public func commit() throws -> (path: String, bytes: Int64)? {
        guard fd > 1 else { return nil }
        if fdatasync(fd) != 0 && errno != EINVAL {
            throw PipelineError("cannot sync \(name): \(Descriptor.describe(errno))")
        }
        return (name, written)
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
/// again; it stops the pipeline when reconnecting keeps failing. Rows the kernel had already
/// accepted on the dropped connection are not sent again: TCP has no acknowledgement of what
/// the peer processed, so socket output is best effort across peer failures (files are exact).
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
                // Only a successful write proves the peer is back: a peer that accepts and drops
                // connections must still exhaust the backoff.
                backoff.reset()
                return
            } catch {
                Glibc.close(fd)
                fd = -1
                Diagnostics.warning("\(error); reconnecting")
            }
        }
    }

    public func commit() throws -> (path: String, bytes: Int64)? { nil }
    public func rewind(to bytes: Int64) throws {}

    public func close() throws {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private func connect() throws {
        while true {
            do {
                fd = try address.connect()
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
