#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceConnectors
import SluiceFormats
import SluiceRuntime

/// A small HTTP/1.1 server for a pipeline's read side (metrics, queryable state): GET requests
/// only, one at a time, on a thread of its own, each connection closed after its answer.
public final class HTTPServer: @unchecked Sendable {
    /// A request's path (without the query) and its query parameters, percent-decoded.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
    }

    /// An answer: a status code and reason, a content type and a body.
    public struct Response: Sendable {
        public var status: Int
        public var reason: String
        public var contentType: String
        public var body: String

        public init(status: Int = 200, reason: String = "OK", contentType: String = "application/json", body: String) {
            self.status = status
            self.reason = reason
            self.contentType = contentType
            self.body = body
        }

        /// A client error with its reason as a JSON body: `{"error":"…"}`.
        public static func error(_ status: Int, _ reason: String, _ message: String) -> Response {
            Response(status: status, reason: reason, json: ErrorBody(error: message))
        }

        /// A 200 answer whose body is `value` as one line of JSON, written by Sluice's record encoder.
        public static func json<Value: Encodable>(_ value: Value) -> Response {
            Response(json: value)
        }

        private init<Value: Encodable>(status: Int = 200, reason: String = "OK", json value: Value) {
            var encoder = JSONRecordEncoder<Value>()
            var bytes: [UInt8] = []
            do {
                try encoder.encode(value, into: &bytes)
                self.init(status: status, reason: reason, body: String(decoding: bytes, as: UTF8.self))
            } catch {
                self.init(status: 500, reason: "Internal Server Error", contentType: "text/plain",
                          body: "cannot encode the answer: \(error)\n")
            }
        }
    }

    private struct ErrorBody: Encodable {
        var error: String
    }

    /// The port the server listens on (useful when it was asked for port 0).
    public let port: Int
    private let listener: Int32
    private let handler: @Sendable (Request) -> Response
    private let lock = ConditionLock()
    private var stopped = false
    private var thread: InstanceThread?

    /// Listens on `host:port` and answers every request with `handler`.
    public init(host: String, port: Int, name: String = "http", handler: @escaping @Sendable (Request) -> Response) throws {
        listener = try SocketAddress(host: host, port: port).listen()
        self.port = SocketAddress.boundPort(listener)
        self.handler = handler
        thread = InstanceThread.start(name: name) { [self] in serve() }
    }

    public func stop() {
        lock.withLock { stopped = true }
        thread?.join()
        close(listener)
    }

    private func serve() {
        while !lock.withLock({ stopped }) {
            var entry = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            respond(client)
            close(client)
        }
    }

    private func respond(_ client: Int32) {
        // A request that does not arrive within a second is dropped, so that one idle client
        // cannot hold the server.
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 8192)
        let n = read(client, &buffer, buffer.count)
        guard n > 0 else { return }
        // Bytes, not Characters: "\r\n" is one Character.
        let lineEnd = buffer[..<n].firstIndex { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") } ?? n
        let firstLine = Substring(String(decoding: buffer[..<lineEnd], as: UTF8.self))
        let response: Response
        if let request = Self.parse(firstLine) {
            response = request.method == "GET" ? handler(request) : .error(405, "Method Not Allowed", "only GET is served")
        } else {
            response = .error(400, "Bad Request", "expected a request line: GET /path HTTP/1.1")
        }
        let text = "HTTP/1.1 \(response.status) \(response.reason)\r\nContent-Type: \(response.contentType)\r\nContent-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n\(response.body)"
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(client, $0.baseAddress! + sent, $0.count - sent) }
            guard written > 0 else { return }
            sent += written
        }
    }

    /// The method, path and query of a request line, or nil if it is not one.
    static func parse(_ line: Substring) -> Request? {
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/"), parts[1].hasPrefix("/") else { return nil }
        let target = parts[1]
        let path = target.prefix { $0 != "?" }
        var query: [String: String] = [:]
        if let mark = target.firstIndex(of: "?") {
            for pair in target[target.index(after: mark)...].split(separator: "&") {
                let field = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = percentDecoded(field[0]),
                      let value = field.count > 1 ? percentDecoded(field[1]) : "" else { return nil }
                query[name] = value
            }
        }
        guard let decodedPath = percentDecoded(path) else { return nil }
        return Request(method: String(parts[0]), path: decodedPath, query: query)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
