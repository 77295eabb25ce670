#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore
import SluiceRuntime

/// Lines from producers that connect to Sluice (`tcp-listen://HOST:PORT`); any number at once.
///
/// While the source's downstream is full the instance does not read, so the sockets' buffers
/// fill and TCP flow control blocks the producers: nothing is dropped. Without `--follow` the
/// input ends when every producer has disconnected (after `producers` of them, when given).
public final class ListenInput: LineInput {
    private final class Connection {
        let fd: Int32
        let peer: String
        var buffer: LineBuffer
        var lines = 0
        init(fd: Int32, peer: String, maxLineBytes: Int) {
            self.fd = fd
            self.peer = peer
            buffer = LineBuffer(maxLineBytes: maxLineBytes)
        }
    }

    private let listener: Int32
    private let expectedProducers: Int?
    private let follow: Bool
    private let maxLineBytes: Int
    private let context: ExecutionContext
    private var connections: [Connection] = []
    private var accepted = 0
    private var current: (String, Int) = ("", 0)
    /// The port actually bound (the URI may say 0).
    public let port: Int

    public init(address: SocketAddress, expectedProducers: Int?, follow: Bool, maxLineBytes: Int,
                context: ExecutionContext) throws {
        listener = try address.listen()
        port = SocketAddress.boundPort(listener)
        self.expectedProducers = expectedProducers
        self.follow = follow
        self.maxLineBytes = maxLineBytes
        self.context = context
        Diagnostics.info("listening on tcp://\(address.host):\(port)")
    }

    public func currentLocation() -> (source: String, line: Int) { current }

    public func read(_ body: (SourceLine) throws -> Void) throws -> Bool {
        if context.isStopping { return false }
        if isFinished { return false }
        var polled = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
        polled += connections.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        let ready = poll(&polled, nfds_t(polled.count), StreamInput.pollMilliseconds)
        guard ready > 0 else { return true }
        if polled[0].revents != 0 { acceptProducer() }
        var closed: [Int] = []
        for (index, entry) in polled.dropFirst().enumerated() where entry.revents != 0 {
            if try !drain(connections[index], body) { closed.append(index) }
        }
        for index in closed.reversed() { connections.remove(at: index) }
        return !isFinished
    }

    public func close() {
        for connection in connections { Glibc.close(connection.fd) }
        connections = []
        Glibc.close(listener)
    }

    private var isFinished: Bool {
        guard !follow, connections.isEmpty else { return false }
        if let expected = expectedProducers { return accepted >= expected }
        return accepted > 0
    }

    private func acceptProducer() {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        let connection = Connection(fd: fd, peer: SocketAddress.peerName(fd), maxLineBytes: maxLineBytes)
        connections.append(connection)
        accepted += 1
        Diagnostics.info("producer connected from \(connection.peer)")
    }

    /// Reads what one producer sent; false when it disconnected.
    private func drain(_ connection: Connection, _ body: (SourceLine) throws -> Void) throws -> Bool {
        let n = connection.buffer.fill { Descriptor.readSome(connection.fd, into: $0) }
        let source = "tcp://\(connection.peer)"
        if n > 0 {
            _ = try connection.buffer.forEachLine { event, _ in
                connection.lines += 1
                current = (source, connection.lines)
                try body(SourceLine(event))
            }
            return true
        }
        let reason = n < 0 ? Descriptor.describe(errno) : "closed"
        try connection.buffer.takeRemainder { event in
            connection.lines += 1
            current = (source, connection.lines)
            try body(SourceLine(event, lineKind: .truncated))
        }
        Glibc.close(connection.fd)
        Diagnostics.info("producer \(connection.peer) disconnected (\(reason))")
        return false
    }
}
