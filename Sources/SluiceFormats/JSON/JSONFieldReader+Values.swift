/// Member values as Swift values. Index -1 stands for the top-level object, which is no
/// primitive, so the primitive readers report a type mismatch for it.
extension JSONFieldReader {
    @inline(__always)
    mutating func isNull(at j: Int) -> Bool {
        j >= 0 && table[j].kind == .null
    }

    mutating func bool(at j: Int) throws -> Bool {
        guard j >= 0 else { throw mismatch(Bool.self, at: j) }
        switch table[j].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, at: j)
        }
    }

    mutating func string(at j: Int) throws -> String {
        guard j >= 0 else { throw mismatch(String.self, at: j) }
        let field = table[j]
        guard field.kind == .string else { throw mismatch(String.self, at: j) }
        if field.flags.contains(.escapes) {
            return unescapedString(from: field.valueStart, to: field.valueEnd)
        }
        return String(decoding: UnsafeBufferPointer(start: base + field.valueStart, count: field.valueEnd &- field.valueStart), as: UTF8.self)
    }

    @inline(__always)
    mutating func integer<I: FixedWidthInteger>(_ type: I.Type, at j: Int) throws -> I {
        guard j >= 0 else { throw mismatch(I.self, at: j) }
        let field = table[j]
        guard field.kind == .number else { throw mismatch(I.self, at: j) }
        guard field.flags.contains(.integer) else { return try integerFromFloatingPoint(I.self, at: j) }
        if !field.flags.contains(.overflow),
           let value = NumberParsing.convert(field.magnitude, negative: field.flags.contains(.negative), to: I.self) {
            return value
        }
        throw doesNotFit(I.self, at: j)
    }

    /// "1.0", "-1.5e3": integers to Foundation when they are whole. Foundation reads them as a
    /// Double first, and so do we; past 2^53, where a Double is not exact, it reads them as a
    /// Decimal, which we leave to it.
    private mutating func integerFromFloatingPoint<I: FixedWidthInteger>(_ type: I.Type, at j: Int) throws -> I {
        let field = table[j]
        guard let value = NumberParsing.double(base + field.valueStart, count: field.valueEnd &- field.valueStart),
              let integer = I(exactly: value)
        else { throw doesNotFit(I.self, at: j) }
        guard value.magnitude < 0x1p53 else { throw requestFallback() }
        return integer
    }

    mutating func double(at j: Int) throws -> Double {
        guard j >= 0 else { throw mismatch(Double.self, at: j) }
        let field = table[j]
        guard field.kind == .number else { throw mismatch(Double.self, at: j) }
        if field.flags.contains(.integer) && !field.flags.contains(.overflow) && field.magnitude <= 1 << 53 {
            let value = Double(field.magnitude)
            return field.flags.contains(.negative) ? -value : value
        }
        let text = base + field.valueStart
        let count = field.valueEnd &- field.valueStart
        guard let value = NumberParsing.double(text, count: count), value.isFinite,
              value != 0 || NumberParsing.isTrueZero(text, count: count)
        else { throw doesNotFit(Double.self, at: j) }
        return value
    }

    mutating func float(at j: Int) throws -> Float {
        guard j >= 0 else { throw mismatch(Float.self, at: j) }
        let field = table[j]
        guard field.kind == .number else { throw mismatch(Float.self, at: j) }
        if field.flags.contains(.integer) && !field.flags.contains(.overflow) && field.magnitude <= 1 << 24 {
            let value = Float(field.magnitude)
            return field.flags.contains(.negative) ? -value : value
        }
        let text = base + field.valueStart
        let count = field.valueEnd &- field.valueStart
        guard let value = NumberParsing.float(text, count: count), value.isFinite,
              value != 0 || NumberParsing.isTrueZero(text, count: count)
        else { throw doesNotFit(Float.self, at: j) }
        return value
    }

    /// Whether `T` must be decoded at member `j` by Foundation: objects and arrays (nested
    /// containers), and the types Foundation treats specially.
    mutating func needsFoundation<T>(_ type: T.Type, at j: Int) -> Bool {
        if FoundationSpecialTypes.contains(T.self) { return true }
        guard j >= 0 else { return false }
        let kind = table[j].kind
        return kind == .object || kind == .array
    }

    // MARK: Errors

    /// A type mismatch at member `j`, or "value not found" for null, as Foundation reports them.
    mutating func mismatch(_ type: Any.Type, at j: Int) -> DecodingError {
        let kind = j >= 0 ? table[j].kind : .object
        let context = DecodingError.Context(
            codingPath: codingPath(for: j),
            debugDescription: "expected \(CodingErrorText.expected(type)), found \(kind.name)")
        return kind == .null ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    private mutating func doesNotFit(_ type: Any.Type, at j: Int) -> DecodingError {
        let field = table[j]
        let text = String(decoding: UnsafeBufferPointer(start: base + field.valueStart, count: field.valueEnd &- field.valueStart), as: UTF8.self)
        return .dataCorrupted(.init(codingPath: codingPath(for: j), debugDescription: "\(text) does not fit in \(type)"))
    }
}
