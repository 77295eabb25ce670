#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore
import SluiceRuntime

/// Lines from one byte stream: stdin, or a TCP server that Sluice connects to.
///
/// A `tcp://` input reconnects with backoff when the connection fails or is refused; a clean
/// end from the peer ends the input, unless `--follow` asks to keep reconnecting.
/// Sockets cannot be rewound: after a reconnect the peer decides what it sends again.
public final class StreamInput: LineInput {
    public enum Origin: Sendable {
        case stdin
        case connect(SocketAddress)
    }

    private let origin: Origin
    private let follow: Bool
    private let context: ExecutionContext
    private var buffer: LineBuffer
    private var fd: Int32 = -1
    private var backoff = Backoff()
    private var lines = 0
    private let name: String

    /// How long one wait for data lasts before the stop flag is checked again.
    static let pollMilliseconds: Int32 = 100

    public init(origin: Origin, follow: Bool, maxLineBytes: Int, context: ExecutionContext) {
        self.origin = origin
        self.follow = follow
        self.context = context
        buffer = LineBuffer(maxLineBytes: maxLineBytes)
        switch origin {
        case .stdin: name = "stdin"
        case .connect(let address): name = "tcp://\(address)"
        }
    }

    public func currentLocation() -> (source: String, line: Int) { (name, lines) }

    public func read(_ body: (SourceLine) throws -> Void) throws -> Bool {
        if context.isStopping { return false }
        if fd < 0 {
            guard try open() else { return false }
        }
        switch Descriptor.waitReadable(fd, milliseconds: Self.pollMilliseconds) {
        case .timeout: return true
        case .readable, .hangup: break
        }
        let n = buffer.fill { Descriptor.readSome(fd, into: $0) }
        if n > 0 {
            _ = try buffer.forEachLine { event, _ in
                lines += 1
                try body(SourceLine(event))
            }
            return true
        }
        let failure = n < 0 ? Descriptor.describe(errno) : nil
        try buffer.takeRemainder { event in
            lines += 1
            try body(SourceLine(event, lineKind: isSocket ? .truncated : .unterminated))
        }
        closeDescriptor()
        guard isSocket, failure != nil || follow else { return false }
        Diagnostics.warning("\(name): connection lost (\(failure ?? "closed by peer")); reconnecting")
        return true
    }

    public func close() { closeDescriptor() }

    private var isSocket: Bool {
        if case .connect = origin { return true }
        return false
    }

    /// Opens stdin or connects, retrying with backoff; false if a stop came first.
    private func open() throws -> Bool {
        switch origin {
        case .stdin:
            fd = 0
        case .connect(let address):
            while true {
                if context.isStopping { return false }
                do {
                    fd = try address.connect()
                    backoff.reset()
                    break
                } catch {
                    guard let delay = backoff.nextDelay() else {
                        throw PipelineError("\(error) (gave up after \(backoff.failures) attempts)")
                    }
                    Diagnostics.warning("\(error); retrying in \(delay) ms")
                    usleep(UInt32(delay) * 1000)
                }
            }
        }
        lines = 0
        buffer.reset()
        return true
    }

    private func closeDescriptor() {
        if fd > 0 { Glibc.close(fd) }
        fd = -1
    }
}
