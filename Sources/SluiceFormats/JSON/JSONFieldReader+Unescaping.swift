extension JSONFieldReader {
    /// The string whose escaped content (already validated by the scanner) is `start..<end`.
    mutating func unescapedString(from start: Int, to end: Int) -> String {
        scratch.removeAll(keepingCapacity: true)
        var k = start
        var runStart = start
        while k < end {
            guard base[k] == UInt8(ascii: "\\") else {
                k &+= 1
                continue
            }
            scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: k &- runStart))
            let escape = base[k &+ 1]
            k &+= 2
            switch escape {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hex4(at: k))
                k &+= 4
                if scalar & 0xFC00 == 0xD800 {
                    let low = UInt32(hex4(at: k &+ 2))
                    k &+= 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar)
            default:  // '"', '\\', '/'
                scratch.append(escape)
            }
            runStart = k
        }
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: end &- runStart))
        return String(decoding: scratch, as: UTF8.self)
    }

    private func hex4(at k: Int) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt16(JSONScanner.hexValue(base[k &+ offset]) ?? 0)
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
