#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call while writing generated events.
public struct NexmarkIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The system call that failed (`open`, `write`, `close`).
    public var operation: String
    /// The file path, or `fd N` when writing to a descriptor.
    public var path: String
    /// The `errno` value.
    public var code: Int32

    /// Creates an error for `operation` on `path` with `errno` value `code`.
    public init(operation: String, path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// `operation path: strerror(code)`.
    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(code)))"
    }
}
