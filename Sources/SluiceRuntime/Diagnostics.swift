#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Messages for the operator of a pipeline, on stderr. The progress line shares stderr, so
/// every message clears it first.
public enum Diagnostics {
    private static let lock = Mutex(false)

    /// Set while a progress line is on screen.
    public static func setProgressLineVisible(_ visible: Bool) {
        lock.withLock { $0 = visible }
    }

    public static func warning(_ message: String) { write("warning: \(message)\n") }
    public static func info(_ message: String) { write("\(message)\n") }
    public static func error(_ message: String) { write("error: \(message)\n") }

    /// Writes text to stderr, clearing a progress line first.
    public static func write(_ text: String) {
        lock.withLock { progressVisible in
            let full = (progressVisible ? "\r\u{1B}[K" : "") + text
            var bytes = Array(full.utf8)
            bytes.withUnsafeMutableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }
}
