/// The output of `JSONFieldEncoder`: the bytes written so far and the containers still open.
///
/// Containers are closed lazily: writing a member into a container first closes every container
/// nested deeper, so that an `Encodable` which finishes a nested value before going on (all
/// synthesized ones do) streams straight into the buffer. Writing into a container that was
/// already closed sets `fallbackRequested`, and the record is encoded by Foundation instead.
struct JSONWriter {
    struct Frame {
        var id: UInt32
        var count: Int
        var isArray: Bool
    }

    var out: [UInt8] = []
    var frames: [Frame] = []
    private var nextID: UInt32 = 0
    /// Where the value being encoded goes: its container would be at this depth...
    var slotDepth = 0
    /// ...and nothing has been written for it while `out.count` is this.
    var slotStart = 0
    /// The container already opened for the current value, if any.
    var slotFrameID: UInt32?
    /// The coding path of the value being encoded.
    var codingPath: [any CodingKey] = []
    var fallbackRequested = false

    /// Starts a record at the end of `out`.
    mutating func start() {
        frames.removeAll(keepingCapacity: true)
        slotDepth = 0
        slotStart = out.count
        slotFrameID = nil
        codingPath = []
        fallbackRequested = false
    }

    /// Closes every open container.
    mutating func finish() {
        while !frames.isEmpty { closeInnermost() }
    }

    /// Prepares for the next element of container `id` at `depth`: closes deeper containers and
    /// writes the separating comma. Returns false (and requests the fallback) when that container
    /// is closed already.
    @inline(__always)
    mutating func beginElement(depth: Int, id: UInt32) -> Bool {
        while frames.count > depth &+ 1 { closeInnermost() }
        guard frames.count == depth &+ 1 && frames[depth].id == id else {
            fallbackRequested = true
            return false
        }
        if frames[depth].count > 0 { out.append(UInt8(ascii: ",")) }
        frames[depth].count &+= 1
        return true
    }

    /// Opens a container for the current value and returns its id.
    mutating func open(isArray: Bool) -> UInt32 {
        let id = nextID
        nextID &+= 1
        frames.append(Frame(id: id, count: 0, isArray: isArray))
        out.append(isArray ? UInt8(ascii: "[") : UInt8(ascii: "{"))
        return id
    }

    /// Whether the current value's slot is still empty: nothing written, no container open.
    var slotIsEmpty: Bool { out.count == slotStart && frames.count == slotDepth }

    mutating func requestFallback() -> FallbackSignal {
        fallbackRequested = true
        return FallbackSignal()
    }

    private mutating func closeInnermost() {
        let frame = frames.removeLast()
        out.append(frame.isArray ? UInt8(ascii: "]") : UInt8(ascii: "}"))
    }

    // MARK: Values

    @inline(__always)
    mutating func appendKey(_ key: String) {
        appendString(key)
        out.append(UInt8(ascii: ":"))
    }

    mutating func appendLiteral(_ literal: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func appendBool(_ value: Bool) {
        appendLiteral(value ? "true" : "false")
    }

    @inline(__always)
    mutating func appendInteger<I: FixedWidthInteger>(_ value: I) {
        TextWriting.appendInteger(value, to: &out)
    }

    /// Appends `value` quoted, escaping '"', '\\' and control characters; other characters,
    /// including '/' and non-ASCII, are written as they are (UTF-8).
    mutating func appendString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in appendString(utf8) }
    }

    mutating func appendString(_ utf8: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        guard let base = utf8.baseAddress else {
            out.append(UInt8(ascii: "\""))
            return
        }
        let count = utf8.count
        var runStart = 0
        var k = 0
        while k < count {
            // Eight bytes at a time while nothing needs escaping.
            while k &+ 8 <= count {
                let word = UInt64(littleEndian: UnsafeRawPointer(base + k).loadUnaligned(as: UInt64.self))
                let special = Self.needsEscape(word)
                if special != 0 {
                    k &+= special.trailingZeroBitCount &>> 3
                    break
                }
                k &+= 8
            }
            guard k < count else { break }
            let c = base[k]
            if c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") && c >= 0x20 {
                k &+= 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: k &- runStart))
            appendEscape(c)
            k &+= 1
            runStart = k
        }
        out.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count &- runStart))
        out.append(UInt8(ascii: "\""))
    }

    /// The high bit of each byte that is '"', '\\' or below 0x20 (the lowest one exact).
    @inline(__always)
    private static func needsEscape(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (w &- ones &* 0x20) & ~w
        return (isQuote | isBackslash | isControl) & 0x8080_8080_8080_8080
    }

    private mutating func appendEscape(_ c: UInt8) {
        out.append(UInt8(ascii: "\\"))
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(c)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                    hex.utf8Start[Int(c >> 4)], hex.utf8Start[Int(c & 0xF)]])
        }
    }
}
