#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// A listening TCP socket on 127.0.0.1 (port 0: the kernel picks one), for test servers.
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: UInt16

    /// - Parameter receiveBuffer: `SO_RCVBUF` for accepted connections (set before `listen`,
    ///   so it also bounds the TCP window); nil keeps the kernel's autotuning.
    init(receiveBuffer: Int32? = nil) throws {
        TestEnvironment.ignoreSIGPIPE
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TestFailure("bind/listen on 127.0.0.1:0: \(reason)")
        }
        self.fd = fd
        port = boundLocalPort(of: fd)
    }

    /// Accepts one connection; the timeout is a failure guard.
    func accept(timeout: Duration = TestEnvironment.defaultTimeout) throws -> LoopbackConnection {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(timeout.seconds * 1000)
        var ready: Int32
        repeat { ready = poll(&entry, 1, milliseconds) } while ready < 0 && errno == EINTR
        guard ready > 0 else { throw TestFailure("no connection to 127.0.0.1:\(port) within \(timeout)") }
        let client = ChildProcess.spawnLock.withLock {
            let client = Glibc.accept(fd, nil, nil)
            if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
            return client
        }
        guard client >= 0 else { throw TestFailure("accept: \(String(cString: strerror(errno)))") }
        return LoopbackConnection(fd: client)
    }

    func close() { Glibc.close(fd) }
}

/// One connected TCP socket.
final class LoopbackConnection: @unchecked Sendable {
    let fd: Int32
    private(set) var isClosed = false

    init(fd: Int32) { self.fd = fd }

    /// Connects to 127.0.0.1:`port`.
    /// - Parameter sendBuffer: `SO_SNDBUF` (set before connecting); nil keeps autotuning.
    static func connect(port: UInt16, sendBuffer: Int32? = nil) throws -> LoopbackConnection {
        TestEnvironment.ignoreSIGPIPE
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        if var size = sendBuffer {
            setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port): \(reason)")
        }
        return LoopbackConnection(fd: fd)
    }

    var localPort: UInt16 { boundLocalPort(of: fd) }

    /// Writes everything (blocking socket).
    func writeAll(_ bytes: some Collection<UInt8>) throws {
        try Array(bytes).withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw TestFailure("send: \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
    }

    /// Reads at most `count` bytes; empty at end of stream. The timeout is a failure guard.
    func read(upTo count: Int, timeout: Duration = TestEnvironment.defaultTimeout) throws -> [UInt8] {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&entry, 1, Int32(timeout.seconds * 1000)) } while ready < 0 && errno == EINTR
        guard ready > 0 else { throw TestFailure("nothing to read within \(timeout)") }
        var buffer = [UInt8](repeating: 0, count: count)
        var n: Int
        repeat { n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, count, 0) } } while n < 0 && errno == EINTR
        guard n >= 0 else { throw TestFailure("recv: \(String(cString: strerror(errno)))") }
        return Array(buffer[..<n])
    }

    /// Reads until the peer closes. `timeout` guards each wait for data, not the whole read.
    func readToEnd(chunk: Int = 1 << 16, timeout: Duration = TestEnvironment.defaultTimeout,
                   between: (() -> Void)? = nil) throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let bytes = try read(upTo: chunk, timeout: timeout)
            if bytes.isEmpty { return all }
            all += bytes
            between?()
        }
    }

    func setNonBlocking() {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// One non-blocking `send`: bytes sent, 0 when the socket buffer is full.
    func trySend(_ bytes: UnsafeRawBufferPointer) throws -> Int {
        while true {
            let n = send(fd, bytes.baseAddress!, bytes.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return 0 }
            throw TestFailure("send: \(String(cString: strerror(errno)))")
        }
    }

    /// Waits up to `timeout` for the socket to accept more bytes.
    func waitWritable(timeout: Duration) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        var ready: Int32
        repeat { ready = poll(&entry, 1, Int32(timeout.seconds * 1000)) } while ready < 0 && errno == EINTR
        return ready > 0
    }

    /// Stops sending; the peer reads end of stream.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }
}

private func boundLocalPort(of fd: Int32) -> UInt16 {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}

extension sockaddr_in {
    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// The kernel's view of loopback TCP connections (`/proc/net/tcp`): bytes queued per socket.
enum KernelTCP {
    struct Entry {
        var localPort: UInt16
        var remotePort: UInt16
        var sendQueue: Int
        var receiveQueue: Int
    }

    static func entries() -> [Entry] {
        guard let text = Files.readProc("/proc/net/tcp") else { return [] }
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count > 4 else { return nil }
            let local = fields[1].split(separator: ":"), remote = fields[2].split(separator: ":")
            let queues = fields[4].split(separator: ":")
            guard local.count == 2, remote.count == 2, queues.count == 2,
                  let lp = UInt16(local[1], radix: 16), let rp = UInt16(remote[1], radix: 16),
                  let tx = Int(queues[0], radix: 16), let rx = Int(queues[1], radix: 16) else { return nil }
            return Entry(localPort: lp, remotePort: rp, sendQueue: tx, receiveQueue: rx)
        }
    }

    /// Polls (with `timeout` as a failure guard) until every byte the test sent from
    /// `clientPort` to `serverPort` has been read by the application on the server side:
    /// nothing unacknowledged on the client, nothing unread on the server.
    static func waitUntilConsumed(clientPort: UInt16, serverPort: UInt16,
                                  timeout: Duration = TestEnvironment.defaultTimeout) throws {
        let deadline = Date().addingTimeInterval(timeout.seconds)
        while true {
            let all = entries()
            let client = all.first { $0.localPort == clientPort && $0.remotePort == serverPort }
            let server = all.first { $0.localPort == serverPort && $0.remotePort == clientPort }
            if let client, let server, client.sendQueue == 0, server.receiveQueue == 0 { return }
            guard Date() < deadline else {
                throw TestFailure("bytes from port \(clientPort) to \(serverPort) still unread after \(timeout): client \(String(describing: client)), server \(String(describing: server))")
            }
            usleep(5_000) // a poll interval; the condition above is what the test waits for
        }
    }
}
