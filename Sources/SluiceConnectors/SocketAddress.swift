#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// A host and port from a `tcp://` or `tcp-listen://` URI, and the socket calls on it.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }

    /// Connects a TCP socket; throws with the reason on failure.
    public func connect() throws -> Int32 {
        try withAddressInfo { info in
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw PipelineError("cannot create socket: \(Descriptor.describe(errno))") }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                let code = errno
                Glibc.close(fd)
                throw PipelineError("cannot connect to \(self): \(Descriptor.describe(code))")
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return fd
        }
    }

    /// Binds and listens; port 0 picks a free port (see `boundPort`).
    public func listen() throws -> Int32 {
        try withAddressInfo(passive: true) { info in
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw PipelineError("cannot create socket: \(Descriptor.describe(errno))") }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 || Glibc.listen(fd, 64) != 0 {
                let code = errno
                Glibc.close(fd)
                throw PipelineError("cannot listen on \(self): \(Descriptor.describe(code))")
            }
            return fd
        }
    }

    /// The local port a socket is bound to.
    public static func boundPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        return withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// The `host:port` of a connected socket's peer.
    public static func peerName(_ fd: Int32) -> String {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
        }
        guard ok else { return "unknown peer" }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var ip = address.sin_addr
        inet_ntop(AF_INET, &ip, &text, socklen_t(INET_ADDRSTRLEN))
        let host = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return "\(host):\(UInt16(bigEndian: address.sin_port))"
    }

    private func withAddressInfo<R>(passive: Bool = false, _ body: (UnsafeMutablePointer<addrinfo>) throws -> R) throws -> R {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        if passive { hints.ai_flags = AI_PASSIVE }
        var result: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &result)
        guard code == 0, let info = result else {
            throw PipelineError("cannot resolve \(self): \(String(cString: gai_strerror(code)))")
        }
        defer { freeaddrinfo(result) }
        return try body(info)
    }
}
