import SwiftShims

/// Decimal text to numbers, from bytes, without allocating.
///
/// Floating point goes through the standard library's own correctly rounded, locale-independent
/// `strtod` (the one behind `Double(_: String)`), on a NUL-terminated copy of the digits.
enum NumberParsing {
    /// Text longer than this is parsed on the heap; numbers that long are rare.
    private static let stackLimit = 64

    /// Parses `count` bytes that are a valid decimal number (validated by the caller).
    static func double(_ text: UnsafePointer<UInt8>, count: Int) -> Double? {
        var result = 0.0
        let parsed = withTerminatedCopy(text, count: count) { chars, end in
            _swift_stdlib_strtod_clocale(chars, &result) == end
        }
        return parsed ? result : nil
    }

    /// Parses `count` bytes that are a valid decimal number (validated by the caller).
    static func float(_ text: UnsafePointer<UInt8>, count: Int) -> Float? {
        var result: Float = 0
        let parsed = withTerminatedCopy(text, count: count) { chars, end in
            _swift_stdlib_strtof_clocale(chars, &result) == end
        }
        return parsed ? result : nil
    }

    /// Whether a number that parsed to zero counts as zero rather than as an underflow (which
    /// Foundation rejects, and so do we). Mirrors Foundation's check exactly, quirk included: it
    /// looks for a digit 1-9 before an exponent four bytes at a time from the front, then at the
    /// last `count % 4` bytes from the back, so it rejects "0e4" but accepts "0e-5".
    static func isTrueZero(_ text: UnsafePointer<UInt8>, count: Int) -> Bool {
        @inline(__always)
        func check(_ c: UInt8) -> Bool? {
            if c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") { return false }
            if c | 0x20 == UInt8(ascii: "e") { return true }
            return nil
        }
        var k = 0
        while count &- k >= 4 {
            for offset in 0..<4 {
                if let result = check(text[k &+ offset]) { return result }
            }
            k &+= 4
        }
        var last = count &- 1
        while last >= k {
            if let result = check(text[last]) { return result }
            last &-= 1
        }
        return true
    }

    /// Parses an optionally signed run of decimal digits into a magnitude, or nil when the text
    /// is not that. `overflow` is set when the digits exceed `UInt64`.
    static func integer(_ text: UnsafePointer<UInt8>, count: Int) -> (magnitude: UInt64, negative: Bool, overflow: Bool)? {
        var k = 0
        var negative = false
        if count > 0 && (text[0] == UInt8(ascii: "-") || text[0] == UInt8(ascii: "+")) {
            negative = text[0] == UInt8(ascii: "-")
            k = 1
        }
        guard k < count else { return nil }
        var magnitude: UInt64 = 0
        var overflow = false
        while k < count {
            let digit = text[k] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { overflow = true }
            magnitude = s
            k &+= 1
        }
        return (magnitude, negative, overflow)
    }

    /// Converts a sign and magnitude to `I`, or nil when it does not fit.
    @inline(__always)
    static func convert<I: FixedWidthInteger>(_ magnitude: UInt64, negative: Bool, to: I.Type) -> I? {
        if I.bitWidth > 64 {
            let wide = I(magnitude)
            if !negative || magnitude == 0 { return wide }
            return I.isSigned ? 0 - wide : nil
        }
        if !negative {
            return magnitude <= UInt64(truncatingIfNeeded: I.max) ? I(truncatingIfNeeded: magnitude) : nil
        }
        if magnitude == 0 { return 0 }
        guard I.isSigned, magnitude &- 1 <= UInt64(truncatingIfNeeded: I.max) else { return nil }
        return I(truncatingIfNeeded: 0 &- magnitude)
    }

    private static func withTerminatedCopy(
        _ text: UnsafePointer<UInt8>, count: Int,
        _ body: (UnsafePointer<CChar>, UnsafePointer<CChar>) -> Bool
    ) -> Bool {
        func run(_ buffer: UnsafeMutableBufferPointer<CChar>) -> Bool {
            let chars = buffer.baseAddress!
            UnsafeMutableRawPointer(chars).copyMemory(from: text, byteCount: count)
            chars[count] = 0
            return body(chars, chars + count)
        }
        if count < stackLimit {
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: stackLimit, run)
        }
        let heap = UnsafeMutableBufferPointer<CChar>.allocate(capacity: count + 1)
        defer { heap.deallocate() }
        return run(heap)
    }
}
