/// Checking UTF-8 one sequence at a time, for scanners that already stop at non-ASCII bytes.
enum UTF8Validation {
    /// The length of the valid UTF-8 sequence that starts with `lead` (≥ 0x80) at `text[i]`, or 0
    /// when it is not one: rejects stray continuation bytes, overlong forms, surrogates, code
    /// points above U+10FFFF and sequences cut short by `end`.
    @inline(__always)
    static func sequenceLength(_ text: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
        let lead = text[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xED: length = 3; high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; low = 0x90
        case 0xF4: length = 4; high = 0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard end &- i >= length else { return 0 }
        let second = text[i &+ 1]
        guard second >= low && second <= high else { return 0 }
        for k in 2..<length where text[i &+ k] & 0xC0 != 0x80 { return 0 }
        return length
    }
}
