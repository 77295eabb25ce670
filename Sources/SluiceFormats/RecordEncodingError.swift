import SluiceCore

/// Why a record could not be written, e.g. `field "price": cannot encode nan in JSON`.
public struct RecordEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, naming the field when one is to blame.
    public var reason: String

    /// An error with the given reason.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
