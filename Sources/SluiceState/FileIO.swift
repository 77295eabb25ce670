#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file operations checkpoints need, with errors that name the path and the
/// system's reason (`No space left on device (ENOSPC)`).
enum FileIO {
    /// Writes `parts` one after another to `path` (created or truncated) and, when `sync`, flushes
    /// them to the device before returning.
    static func writeFile(_ path: String, parts: [[UInt8]], sync: Bool) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 { throw error("cannot create", path) }
        var closed = false
        defer { if !closed { _ = close(descriptor) } }
        for part in parts {
            try part.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw error("cannot write", path)
                    }
                    offset += written
                }
            }
        }
        if sync && fsync(descriptor) != 0 { throw error("cannot fsync", path) }
        closed = true
        if close(descriptor) != 0 { throw error("cannot close", path) }
    }

    /// The whole content of `path`.
    static func readFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw error("cannot open", path) }
        defer { _ = close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 { throw error("cannot stat", path) }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: Swift.max(4096, bytes.count))) }
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, $0.count - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Up to the first `limit` bytes of `path`.
    static func readPrefix(_ path: String, limit: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw error("cannot open", path) }
        defer { _ = close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        while count < limit {
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + count, limit - count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if got == 0 { break }
            count += got
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// Calls `body` with successive blocks of `path`'s content.
    static func forEachBlock(of path: String, blockSize: Int = 1 << 20, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw error("cannot open", path) }
        defer { _ = close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let got = read(descriptor, buffer.baseAddress!, blockSize)
            if got < 0 {
                if errno == EINTR { continue }
                throw error("cannot read", path)
            }
            if got == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        }
    }

    /// The size of the file at `path`, or nil when there is none.
    static func fileSize(_ path: String) throws -> Int64? {
        var status = stat()
        if stat(path, &status) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw error("cannot stat", path)
        }
        return Int64(status.st_size)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// Flushes `path`'s entries (files created, renamed or removed in it) to the device.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { throw error("cannot open directory", path) }
        defer { _ = close(descriptor) }
        if fsync(descriptor) != 0 && errno != EINVAL { throw error("cannot fsync directory", path) }
    }

    /// Renames `from` to `to`, replacing `to` atomically.
    static func move(_ from: String, to: String) throws {
        if rename(from, to) != 0 { throw error("cannot rename \(from) to", to) }
    }

    static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw error("cannot remove", path) }
    }

    /// Creates `path` and any missing parents.
    static func makeDirectories(_ path: String) throws {
        if isDirectory(path) { return }
        let parent = parentDirectory(path)
        if parent != path && !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw error("cannot create directory", path) }
    }

    /// The names in directory `path`, without "." and "..".
    static func directoryEntries(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw error("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes `path` and everything under it (nothing when it does not exist).
    static func removeTree(_ path: String) throws {
        var status = stat()
        if lstat(path, &status) != 0 {
            if errno == ENOENT { return }
            throw error("cannot stat", path)
        }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            for name in try directoryEntries(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw error("cannot remove directory", path) }
        } else {
            try removeFile(path)
        }
    }

    static func parentDirectory(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }

    static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// An `.io` error: "cannot write PATH: No space left on device (ENOSPC)", from `errno`.
    static func error(_ action: String, _ path: String) -> SnapshotError {
        let code = errno
        return SnapshotError(.io, "\(action) \(path): \(describe(errno: code))")
    }

    static func describe(errno code: Int32) -> String {
        let reason = String(cString: strerror(code))
        return names[code].map { "\(reason) (\($0))" } ?? "\(reason) (errno \(code))"
    }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", EBADF: "EBADF", ENOMEM: "ENOMEM",
        EACCES: "EACCES", EEXIST: "EEXIST", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR", EINVAL: "EINVAL",
        EMFILE: "EMFILE", ENFILE: "ENFILE", EFBIG: "EFBIG", ENOSPC: "ENOSPC", EROFS: "EROFS",
        ENAMETOOLONG: "ENAMETOOLONG", ENOTEMPTY: "ENOTEMPTY", ELOOP: "ELOOP", EDQUOT: "EDQUOT",
        EXDEV: "EXDEV", EBUSY: "EBUSY",
    ]
}
