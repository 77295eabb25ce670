import SluiceCore

/// One line handed from an input to its source: its bytes and what kind of line it is.
public struct SourceLine {
    public enum Kind: Equatable {
        /// An ordinary line: one record.
        case record
        /// The header line of a CSV input.
        case header
        /// Longer than `--max-line-bytes`; `bytes` holds its first bytes only.
        case tooLong
        /// Cut off: the peer went away before the line's newline arrived.
        case truncated
        /// The input's last line had no newline (a file may end so, or may have been cut).
        case unterminated
    }
    public var bytes: UnsafeRawBufferPointer
    public var kind: Kind
}

/// A source of lines: files, stdin or sockets. Its source instance calls `read` in a loop.
public protocol LineInput: AnyObject {
    /// Reads what is available and calls `body` for each line.
    /// - Returns: false when the input is exhausted (or a stop was requested).
    func read(_ body: (SourceLine) throws -> Void) throws -> Bool
    /// Where the line being handed to `body` comes from: file and line, or peer and line.
    func currentLocation() -> (source: String, line: Int)
    /// What is left to read, for a checkpoint; nil for inputs that cannot be rewound (stdin, sockets).
    func checkpointPosition() -> [FileSegment]?
    /// Releases descriptors; called once after the last `read`.
    func close()
}

extension LineInput {
    public func checkpointPosition() -> [FileSegment]? { nil }
}

extension SourceLine {
    /// The line for a splitter's event; complete lines get `lineKind`.
    init(_ event: LineEvent, lineKind: Kind = .record) {
        switch event {
        case .line(let bytes): self.init(bytes: bytes, kind: lineKind)
        case .tooLong(let prefix): self.init(bytes: prefix, kind: .tooLong)
        }
    }
}
