#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Where a named source reads from (the URI of `--input NAME=URI`).
public enum InputEndpoint: Sendable, Equatable {
    /// A file, or a directory whose files are read in name order.
    case files(path: String)
    case stdin
    /// Connect to a server (`tcp://HOST:PORT`).
    case connect(SocketAddress)
    /// Accept producers (`tcp-listen://HOST:PORT[?producers=N]`).
    case listen(SocketAddress, producers: Int?)

    /// Parses a URI; throws a usage error naming what is wrong.
    public static func parse(_ uri: String) throws -> InputEndpoint {
        if uri == "-" { return .stdin }
        if let rest = uri.strippingPrefix("tcp-listen://") {
            let (hostPort, query) = rest.splitOnce("?")
            var producers: Int?
            if let query {
                guard let value = query.strippingPrefix("producers="), let n = Int(value), n > 0 else {
                    throw UsageError("unknown option \"\(query)\" in \(uri) (expected producers=N)")
                }
                producers = n
            }
            return .listen(try parseAddress(hostPort, uri: uri), producers: producers)
        }
        if let rest = uri.strippingPrefix("tcp://") { return .connect(try parseAddress(rest, uri: uri)) }
        if uri.contains("://") { throw UsageError("unsupported input URI \(uri) (use a path, -, tcp:// or tcp-listen://)") }
        return .files(path: uri)
    }

    /// The files of a `files` endpoint: the file itself, or a directory's regular files in name order.
    public func listFiles() throws -> [String] {
        guard case .files(let path) = self else { return [] }
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw PipelineError("cannot read input \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        guard let directory = opendir(path) else {
            throw PipelineError("cannot list input directory \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            var entryInfo = stat()
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            if stat(full, &entryInfo) == 0 && (entryInfo.st_mode & S_IFMT) == S_IFREG { names.append(full) }
        }
        return names.sorted()
    }
}

/// Where a named sink writes to (the URI of `--output NAME=URI`).
public enum OutputEndpoint: Sendable, Equatable {
    case file(path: String)
    /// One part file per sink instance.
    case directory(path: String)
    case stdout
    case connect(SocketAddress)

    /// Parses a URI: an existing directory or a path ending in `/` is a directory output.
    public static func parse(_ uri: String) throws -> OutputEndpoint {
        if uri == "-" { return .stdout }
        if let rest = uri.strippingPrefix("tcp://") { return .connect(try parseAddress(rest, uri: uri)) }
        if uri.contains("://") { throw UsageError("unsupported output URI \(uri) (use a path, a directory, - or tcp://)") }
        var info = stat()
        if uri.hasSuffix("/") || (stat(uri, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR) {
            return .directory(path: uri)
        }
        return .file(path: uri)
    }
}

private func parseAddress(_ text: String, uri: String) throws -> SocketAddress {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
          (0...65535).contains(port) else {
        throw UsageError("\(uri): expected HOST:PORT")
    }
    let host = String(text[..<colon])
    return SocketAddress(host: host.isEmpty ? "127.0.0.1" : host, port: port)
}


extension String {
    func strippingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    func splitOnce(_ separator: Character) -> (String, String?) {
        guard let index = firstIndex(of: separator) else { return (self, nil) }
        return (String(self[..<index]), String(self[index...].dropFirst()))
    }
}
