import Foundation

/// Sends `requestLine` (`METHOD /path`) to 127.0.0.1:`port`; returns the status and the body.
func httpRequest(port: UInt16, _ requestLine: String) throws -> (Int, String) {
    let connection = try LoopbackConnection.connect(port: port)
    defer { connection.close() }
    try connection.writeAll(Array("\(requestLine) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
    let response = String(decoding: try connection.readToEnd(), as: UTF8.self)
    let status = response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    let body = response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
    return (status, body)
}
