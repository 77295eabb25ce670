/// One validating pass over a line: checks the whole line is one JSON value (RFC 8259, UTF-8,
/// nesting at most `maxDepth` deep), and when it is an object, records each member in a
/// `JSONFieldTable`. Nested values are validated and skipped.
///
/// Strings are scanned eight bytes at a time, stopping only at quotes, backslashes, control
/// characters and non-ASCII bytes (which are then validated as UTF-8).
struct JSONScanner {
    /// Foundation's limit: the top-level object counts as one level.
    static let maxDepth = 512

    let base: UnsafePointer<UInt8>
    let end: Int
    /// The next byte to look at.
    var i = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
    }

    /// Scans the whole line. Returns `false` when it is a valid JSON value but not an object
    /// (the table is then empty).
    mutating func scanLine(into table: inout JSONFieldTable) throws(JSONSyntaxError) -> Bool {
        table.reset()
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { i = 3 }  // a UTF-8 BOM
        skipWhitespace()
        guard i < end else { throw JSONSyntaxError(i, .expected("'{'")) }
        let isObject = base[i] == UInt8(ascii: "{")
        if isObject {
            try scanTopObject(into: &table)
        } else {
            try skipValue(depth: 1)
        }
        skipWhitespace()
        guard i == end else { throw JSONSyntaxError(i, .trailingCharacters(afterObject: isObject)) }
        return isObject
    }

    // MARK: The top-level object

    private mutating func scanTopObject(into table: inout JSONFieldTable) throws(JSONSyntaxError) {
        i &+= 1
        skipWhitespace()
        if i < end && base[i] == UInt8(ascii: "}") {
            i &+= 1
            return
        }
        var expectedKey: StaticString = "'\"' or '}'"
        while true {
            guard i < end && base[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError(i, .expected(expectedKey)) }
            expectedKey = "'\"'"
            i &+= 1
            let keyStart = i
            let keyFlags = try scanString()
            let keyEnd = i &- 1
            skipWhitespace()
            guard i < end && base[i] == UInt8(ascii: ":") else { throw JSONSyntaxError(i, .expected("':'")) }
            i &+= 1
            skipWhitespace()
            let first = keyEnd > keyStart ? base[keyStart] : 0
            let last = keyEnd > keyStart ? base[keyEnd &- 1] : 0
            table.noteKey(count: keyEnd &- keyStart, flags: keyFlags, first: first, last: last)
            let field = table.appendSlot()
            field.pointee.keyStart = keyStart
            field.pointee.keyEnd = keyEnd
            try scanMemberValue(into: field)
            skipWhitespace()
            guard i < end else { throw JSONSyntaxError(i, .expected("',' or '}'")) }
            let c = base[i]
            i &+= 1
            if c == UInt8(ascii: ",") {
                skipWhitespace()
                continue
            }
            if c == UInt8(ascii: "}") { return }
            i &-= 1
            throw JSONSyntaxError(i, .expected("',' or '}'"))
        }
    }

    /// Scans the value of a top-level member, filling in its range, kind and flags.
    @inline(__always)
    private mutating func scanMemberValue(into slot: UnsafeMutablePointer<JSONField>) throws(JSONSyntaxError) {
        guard i < end else { throw JSONSyntaxError(i, .expected("a value")) }
        slot.pointee.valueStart = i
        slot.pointee.flags = []
        switch base[i] {
        case UInt8(ascii: "\""):
            i &+= 1
            slot.pointee.valueStart = i
            slot.pointee.flags = try scanString()
            slot.pointee.valueEnd = i &- 1
            slot.pointee.kind = .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let (magnitude, flags) = try scanNumber()
            slot.pointee.magnitude = magnitude
            slot.pointee.flags = flags
            slot.pointee.valueEnd = i
            slot.pointee.kind = .number
        case UInt8(ascii: "t"):
            try expectLiteral("true", "'true'")
            slot.pointee.kind = .true
            slot.pointee.valueEnd = i
        case UInt8(ascii: "f"):
            try expectLiteral("false", "'false'")
            slot.pointee.kind = .false
            slot.pointee.valueEnd = i
        case UInt8(ascii: "n"):
            try expectLiteral("null", "'null'")
            slot.pointee.kind = .null
            slot.pointee.valueEnd = i
        case UInt8(ascii: "{"):
            try skipValue(depth: 2)
            slot.pointee.kind = .object
            slot.pointee.valueEnd = i
        case UInt8(ascii: "["):
            try skipValue(depth: 2)
            slot.pointee.kind = .array
            slot.pointee.valueEnd = i
        default:
            throw JSONSyntaxError(i, .expected("a value"))
        }
    }

    // MARK: Nested values

    /// Validates and skips any value; `depth` is the nesting level a container here would have.
    private mutating func skipValue(depth: Int) throws(JSONSyntaxError) {
        guard i < end else { throw JSONSyntaxError(i, .expected("a value")) }
        switch base[i] {
        case UInt8(ascii: "\""):
            i &+= 1
            _ = try scanString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        case UInt8(ascii: "t"): try expectLiteral("true", "'true'")
        case UInt8(ascii: "f"): try expectLiteral("false", "'false'")
        case UInt8(ascii: "n"): try expectLiteral("null", "'null'")
        case UInt8(ascii: "{"):
            guard depth <= Self.maxDepth else { throw JSONSyntaxError(i, .tooDeeplyNested) }
            try skipObject(depth: depth)
        case UInt8(ascii: "["):
            guard depth <= Self.maxDepth else { throw JSONSyntaxError(i, .tooDeeplyNested) }
            try skipArray(depth: depth)
        default:
            throw JSONSyntaxError(i, .expected("a value"))
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONSyntaxError) {
        i &+= 1
        skipWhitespace()
        if i < end && base[i] == UInt8(ascii: "}") {
            i &+= 1
            return
        }
        var expectedKey: StaticString = "'\"' or '}'"
        while true {
            guard i < end && base[i] == UInt8(ascii: "\"") else { throw JSONSyntaxError(i, .expected(expectedKey)) }
            expectedKey = "'\"'"
            i &+= 1
            _ = try scanString()
            skipWhitespace()
            guard i < end && base[i] == UInt8(ascii: ":") else { throw JSONSyntaxError(i, .expected("':'")) }
            i &+= 1
            skipWhitespace()
            try skipValue(depth: depth &+ 1)
            skipWhitespace()
            guard i < end else { throw JSONSyntaxError(i, .expected("',' or '}'")) }
            if base[i] == UInt8(ascii: ",") {
                i &+= 1
                skipWhitespace()
            } else if base[i] == UInt8(ascii: "}") {
                i &+= 1
                return
            } else {
                throw JSONSyntaxError(i, .expected("',' or '}'"))
            }
        }
    }

    private mutating func skipArray(depth: Int) throws(JSONSyntaxError) {
        i &+= 1
        skipWhitespace()
        if i < end && base[i] == UInt8(ascii: "]") {
            i &+= 1
            return
        }
        while true {
            try skipValue(depth: depth &+ 1)
            skipWhitespace()
            guard i < end else { throw JSONSyntaxError(i, .expected("',' or ']'")) }
            if base[i] == UInt8(ascii: ",") {
                i &+= 1
                skipWhitespace()
            } else if base[i] == UInt8(ascii: "]") {
                i &+= 1
                return
            } else {
                throw JSONSyntaxError(i, .expected("',' or ']'"))
            }
        }
    }

    // MARK: Tokens

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < end {
            let c = base[i]
            guard c <= 0x20 && (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) else { return }
            i &+= 1
        }
    }

    @inline(__always)
    private mutating func expectLiteral(_ literal: StaticString, _ expected: StaticString) throws(JSONSyntaxError) {
        let n = literal.utf8CodeUnitCount
        let bytes = literal.utf8Start
        guard end &- i >= n else { throw JSONSyntaxError(i, .expected(expected)) }
        for k in 1..<n where base[i &+ k] != bytes[k] {
            throw JSONSyntaxError(i, .expected(expected))
        }
        i &+= n
    }

    /// Scans a number per RFC 8259, computing an integer's magnitude on the way.
    @inline(__always)
    private mutating func scanNumber() throws(JSONSyntaxError) -> (magnitude: UInt64, flags: JSONField.Flags) {
        var flags: JSONField.Flags = .integer
        var magnitude: UInt64 = 0
        if base[i] == UInt8(ascii: "-") {
            flags.insert(.negative)
            i &+= 1
        }
        guard i < end else { throw JSONSyntaxError(i, .expected("a digit")) }
        var c = base[i]
        if c == UInt8(ascii: "0") {
            i &+= 1
        } else if c &- UInt8(ascii: "1") < 9 {
            let digitsStart = i
            repeat {
                magnitude = magnitude &* 10 &+ UInt64(c &- UInt8(ascii: "0"))
                i &+= 1
                guard i < end else { break }
                c = base[i]
            } while c &- UInt8(ascii: "0") < 10
            if i &- digitsStart > 19 {
                // Twenty digits may still fit (up to UInt64.max); more never do.
                magnitude = 0
                if i &- digitsStart == 20 {
                    for k in digitsStart..<i {
                        let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                        let (s, o2) = m.addingReportingOverflow(UInt64(base[k] &- UInt8(ascii: "0")))
                        if o1 || o2 {
                            flags.insert(.overflow)
                            break
                        }
                        magnitude = s
                    }
                } else {
                    flags.insert(.overflow)
                }
            }
        } else {
            throw JSONSyntaxError(i, .expected("a digit"))
        }
        if i < end && base[i] == UInt8(ascii: ".") {
            flags.remove(.integer)
            i &+= 1
            try scanDigits()
        }
        if i < end && base[i] | 0x20 == UInt8(ascii: "e") {
            flags.remove(.integer)
            i &+= 1
            if i < end && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) { i &+= 1 }
            try scanDigits()
        }
        return (magnitude, flags)
    }

    /// One or more digits.
    @inline(__always)
    private mutating func scanDigits() throws(JSONSyntaxError) {
        guard i < end && base[i] &- UInt8(ascii: "0") < 10 else { throw JSONSyntaxError(i, .expected("a digit")) }
        repeat { i &+= 1 } while i < end && base[i] &- UInt8(ascii: "0") < 10
    }

    // MARK: Strings

    /// Scans string content from `i` (just past the opening quote) to just past the closing quote,
    /// returning `.escapes` and `.nonASCII` as found.
    @inline(__always)
    private mutating func scanString() throws(JSONSyntaxError) -> JSONField.Flags {
        var flags: JSONField.Flags = []
        while true {
            while i &+ 8 <= end {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let special = Self.specialBytes(word)
                if special != 0 {
                    let shift = special.trailingZeroBitCount &- 7
                    i &+= shift &>> 3
                    // Usually the closing quote: take it from the word, not from memory again.
                    if UInt8(truncatingIfNeeded: word &>> UInt64(shift)) == UInt8(ascii: "\"") {
                        i &+= 1
                        return flags
                    }
                    break
                }
                i &+= 8
            }
            guard i < end else { throw JSONSyntaxError(i, .unterminatedString) }
            let c = base[i]
            if c == UInt8(ascii: "\"") {
                i &+= 1
                return flags
            } else if c == UInt8(ascii: "\\") {
                flags.insert(.escapes)
                try scanEscape()
            } else if c >= 0x80 {
                flags.insert(.nonASCII)
                try scanUTF8Sequence()
            } else if c < 0x20 {
                throw JSONSyntaxError(i, .controlCharacter)
            } else {
                i &+= 1
            }
        }
    }

    /// The high bit of each byte that is '"', '\\', below 0x20 or above 0x7F. Only the lowest set
    /// bit is exact (borrows can flag bytes above a true hit), which is all the caller uses.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (w &- ones &* 0x20) & ~w
        return (isQuote | isBackslash | isControl | w) & high
    }

    /// Validates one escape at `i` (the backslash), including \u surrogate pairs.
    private mutating func scanEscape() throws(JSONSyntaxError) {
        let start = i
        guard i &+ 1 < end else { throw JSONSyntaxError(start, .invalidEscape) }
        switch base[i &+ 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i &+= 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: i &+ 2) else { throw JSONSyntaxError(start, .invalidEscape) }
            i &+= 6
            if unit & 0xFC00 == 0xD800 {
                guard i &+ 6 <= end && base[i] == UInt8(ascii: "\\") && base[i &+ 1] == UInt8(ascii: "u"),
                      let low = hex4(at: i &+ 2), low & 0xFC00 == 0xDC00
                else { throw JSONSyntaxError(start, .unpairedSurrogate) }
                i &+= 6
            } else if unit & 0xFC00 == 0xDC00 {
                throw JSONSyntaxError(start, .unpairedSurrogate)
            }
        default:
            throw JSONSyntaxError(start, .invalidEscape)
        }
    }

    /// The value of four hex digits at `k`, or nil.
    func hex4(at k: Int) -> UInt16? {
        guard k &+ 4 <= end else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(base[k &+ offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        if c &- UInt8(ascii: "0") < 10 { return c &- UInt8(ascii: "0") }
        let lower = c | 0x20
        if lower &- UInt8(ascii: "a") < 6 { return lower &- UInt8(ascii: "a") &+ 10 }
        return nil
    }

    /// Validates one UTF-8 sequence at `i`.
    @inline(__always)
    private mutating func scanUTF8Sequence() throws(JSONSyntaxError) {
        let length = UTF8Validation.sequenceLength(base, at: i, end: end)
        guard length > 0 else { throw JSONSyntaxError(i, .invalidUTF8) }
        i &+= length
    }
}
