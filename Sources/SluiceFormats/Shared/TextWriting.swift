/// Appending numbers as decimal text to a byte buffer.
enum TextWriting {
    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func appendInteger<I: FixedWidthInteger>(_ value: I, to out: inout [UInt8]) {
        if I.bitWidth > 64 {
            out.append(contentsOf: value.description.utf8)
            return
        }
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if magnitude < 10 {
            out.append(UInt8(truncatingIfNeeded: magnitude) &+ UInt8(ascii: "0"))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var k = 20
            repeat {
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                k &-= 1
                digits[k] = UInt8(truncatingIfNeeded: remainder) &+ UInt8(ascii: "0")
                magnitude = quotient
            } while magnitude != 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    /// Appends the shortest text that reads back as `value` (finite), without a trailing ".0",
    /// as Foundation's JSONEncoder writes it: `1`, `0.1`, `1e+20`, `-0`.
    static func appendFloatingPoint<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, to out: inout [UInt8]) {
        var text = value.description
        text.withUTF8 { utf8 in
            var count = utf8.count
            if count > 2 && utf8[count - 2] == UInt8(ascii: ".") && utf8[count - 1] == UInt8(ascii: "0") {
                count -= 2
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[0..<count]))
        }
    }
}
