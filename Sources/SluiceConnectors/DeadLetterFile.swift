#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import SluiceCore
import SluiceFormats

/// The file that skipped records go to, one JSON line each; created on the first bad record,
/// so a clean run leaves no empty file behind.
public final class DeadLetterFile: Sendable {
    struct Entry: Encodable {
        var source: String
        var line: Int
        var reason: String
        var raw: String
    }

    public let path: String
    /// A resumed run appends (it continues the interrupted one); a fresh run starts the file anew.
    public let appends: Bool
    private let state = Mutex<(fd: Int32, encoder: JSONRecordEncoder<Entry>)>((-1, JSONRecordEncoder<Entry>()))

    public init(path: String, appends: Bool = false) {
        self.path = path
        self.appends = appends
    }

    /// Appends one record; throws when the file cannot be written.
    public func append(_ record: BadRecord) throws {
        try state.withLock { state in
            if state.fd < 0 {
                state.fd = open(path, O_WRONLY | O_CREAT | O_APPEND | (appends ? 0 : O_TRUNC) | O_CLOEXEC, 0o644)
                guard state.fd >= 0 else { throw PipelineError("cannot open dead-letter file \(path): \(Descriptor.describe(errno))") }
            }
            var bytes: [UInt8] = []
            try state.encoder.encode(Entry(source: record.source, line: record.line, reason: record.reason, raw: record.raw), into: &bytes)
            try bytes.withUnsafeBytes { try Descriptor.writeAll(state.fd, $0, name: "dead-letter file \(path)") }
        }
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { close(state.fd) }
        }
    }
}
