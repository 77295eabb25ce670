/// The kind of a JSON value, as the scanner saw it.
enum JSONValueKind: UInt8 {
    case string, number, `true`, `false`, null, object, array

    /// How error messages name a value of this kind ("found string").
    var name: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .true, .false: "boolean"
        case .null: "null"
        case .object: "object"
        case .array: "array"
        }
    }
}

/// One `"key": value` member of a scanned top-level object: byte offsets into the line and what
/// the scanner learned about the value on its way past, so that decoding need not look again.
struct JSONField {
    /// The key's content, between its quotes: `keyStart..<keyEnd`.
    var keyStart: Int
    var keyEnd: Int
    /// The value: a string's content between its quotes, or a number's, literal's or nested value's text.
    var valueStart: Int
    var valueEnd: Int
    /// For a number: its magnitude when it is an integer that fits in 64 bits (`.integer` without `.overflow`).
    var magnitude: UInt64
    var kind: JSONValueKind
    var flags: Flags

    struct Flags: OptionSet {
        var rawValue: UInt8
        /// The string (key or value) contains a backslash escape.
        static let escapes = Flags(rawValue: 1 << 0)
        /// The string contains bytes of 0x80 and up (validated UTF-8).
        static let nonASCII = Flags(rawValue: 1 << 1)
        /// The number has neither fraction nor exponent.
        static let integer = Flags(rawValue: 1 << 2)
        /// The number starts with '-'.
        static let negative = Flags(rawValue: 1 << 3)
        /// The integer's magnitude does not fit in a UInt64.
        static let overflow = Flags(rawValue: 1 << 4)
    }

    var keyCount: Int { keyEnd &- keyStart }
}
