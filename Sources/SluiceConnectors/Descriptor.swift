#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Thin, error-checked wrappers over the system calls the connectors use.
enum Descriptor {
    /// The text of an errno value.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Writes all bytes, retrying on EINTR and short writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, name: @autoclosure () -> String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw PipelineError("cannot write \(name()): \(describe(errno))")
            }
            offset += n
        }
    }

    enum Readiness { case readable, timeout, hangup }

    /// Waits up to `milliseconds` for `fd` to become readable.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Readiness {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let n = poll(&entry, 1, milliseconds)
        if n == 0 { return .timeout }
        if n < 0 { return errno == EINTR ? .timeout : .hangup }
        return .readable
    }

    /// `read(2)` that retries on EINTR.
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let n = read(fd, buffer.baseAddress!, buffer.count)
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }
}
