/// A record that could not be read: where it came from, why, and its raw text.
public struct BadRecord: Sendable, Equatable {
    /// The source's name and location: a file path, `stdin`, or a peer address.
    public var source: String
    /// 1-based line number within the source, or 0 when unknown.
    public var line: Int
    public var reason: String
    /// The raw text (a prefix of it for over-long lines).
    public var raw: String

    public init(source: String, line: Int, reason: String, raw: String) {
        self.source = source
        self.line = line
        self.reason = reason
        self.raw = raw
    }

    /// `file:line: reason`, the form used in error messages.
    public var location: String { line > 0 ? "\(source):\(line)" : source }
}

/// Why a line could not be turned into a record.
public struct RecordDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A failure that stops a pipeline: the message names the cause.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A mistake in how the pipeline was invoked: exit status 2.
public struct UsageError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
