/// Why snapshot bytes or a checkpoint could not be read or written. `message` names the file
/// (when there is one) and what is wrong, ready to show to a user.
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The bytes end before what they promise (a short file, a cut-off value).
        case truncated
        /// The bytes are not what they should be: an impossible value, a length past the end,
        /// invalid UTF-8, a size that disagrees with the header.
        case corrupt
        /// A snapshot file that does not start with "SLSN".
        case badMagic
        /// A snapshot file (or manifest) written by a newer format version.
        case unsupportedVersion
        /// A checksum over a header, content or file does not match.
        case checksumMismatch
        /// zstd refused the compressed content.
        case compression
        /// The operating system refused a read, write, rename or fsync.
        case io
        /// A manifest or checkpoint directory that is missing, unparseable or inconsistent.
        case manifest
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The same error with `context` ("FILE: ") put before its message.
    func prefixed(_ context: String) -> SnapshotError {
        SnapshotError(kind, context + message)
    }
}
