/// A cursor that writes bytes to raw memory the caller has sized (no bounds checks).
///
/// The generator bounds every line it writes (see `NexmarkGenerator.maxLineLength`),
/// so callers reserve that much before writing one line.
struct ByteWriter {
    /// The next byte to write.
    var p: UnsafeMutablePointer<UInt8>

    @inline(__always)
    init(_ p: UnsafeMutablePointer<UInt8>) { self.p = p }

    /// Writes the UTF-8 bytes of a literal.
    @inline(__always)
    mutating func write(_ literal: StaticString) {
        let n = literal.utf8CodeUnitCount
        UnsafeMutableRawPointer(p).copyMemory(from: literal.utf8Start, byteCount: n)
        p += n
    }

    /// Writes `count` bytes from `source`.
    @inline(__always)
    mutating func write(_ source: UnsafePointer<UInt8>, count: Int) {
        UnsafeMutableRawPointer(p).copyMemory(from: source, byteCount: count)
        p += count
    }

    /// Writes one byte.
    @inline(__always)
    mutating func write(byte: UInt8) {
        p.pointee = byte
        p += 1
    }

    /// Writes the decimal form of `value`.
    @inline(__always)
    mutating func write(_ value: Int64) {
        var u: UInt64
        if value < 0 {
            write(byte: UInt8(ascii: "-"))
            u = value.magnitude
        } else {
            u = UInt64(value)
        }
        let digits = ByteWriter.digitCount(u)
        let pairs: StaticString =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        let table = pairs.utf8Start
        var q = p + digits
        while u >= 100 {
            let r = Int(u % 100)
            u /= 100
            q -= 2
            q[0] = table[2 * r]
            q[1] = table[2 * r + 1]
        }
        if u >= 10 {
            let r = Int(u)
            q[-2] = table[2 * r]
            q[-1] = table[2 * r + 1]
        } else {
            q[-1] = UInt8(truncatingIfNeeded: u) &+ 48
        }
        p += digits
    }

    /// Writes `value` (in `0..<10_000`) as exactly four digits, zero-padded.
    @inline(__always)
    mutating func writeFourDigits(_ value: Int) {
        p[0] = UInt8(truncatingIfNeeded: value / 1000) &+ 48
        p[1] = UInt8(truncatingIfNeeded: (value / 100) % 10) &+ 48
        p[2] = UInt8(truncatingIfNeeded: (value / 10) % 10) &+ 48
        p[3] = UInt8(truncatingIfNeeded: value % 10) &+ 48
        p += 4
    }

    /// The number of decimal digits of `u` (1 for 0).
    @inline(__always)
    static func digitCount(_ u: UInt64) -> Int {
        var d = 1
        var x = u
        if x >= 10_000_000_000_000_000 { d += 16; x /= 10_000_000_000_000_000 }
        if x >= 100_000_000 { d += 8; x /= 100_000_000 }
        if x >= 10_000 { d += 4; x /= 10_000 }
        if x >= 100 { d += 2; x /= 100 }
        if x >= 10 { d += 1 }
        return d
    }
}
