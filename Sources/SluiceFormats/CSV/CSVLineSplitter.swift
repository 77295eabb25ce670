import SluiceCore

/// Splits a CSV line into fields per RFC 4180: fields separated by commas; a field that starts
/// with '"' is quoted, ends at the next lone '"' and must be followed by a comma or the end of
/// the line, with `""` standing for one quote inside; unquoted fields may not contain '"'. A
/// field cannot span lines. One trailing '\r' (CRLF files) is ignored. The bytes must be UTF-8.
enum CSVLineSplitter {
    static func split(_ base: UnsafePointer<UInt8>, count: Int, from start: Int = 0, into fields: inout [CSVField]) throws(RecordDecodingError) {
        fields.removeAll(keepingCapacity: true)
        var end = count
        if end > start && base[end &- 1] == 0x0D { end &-= 1 }
        var i = start
        while true {
            if i < end && base[i] == UInt8(ascii: "\"") {
                let open = i
                i &+= 1
                let contentStart = i
                var doubled = false
                while true {
                    guard i < end else { throw RecordDecodingError("invalid CSV at byte \(open): quoted field is not closed") }
                    let c = base[i]
                    if c == UInt8(ascii: "\"") {
                        if i &+ 1 < end && base[i &+ 1] == UInt8(ascii: "\"") {
                            doubled = true
                            i &+= 2
                            continue
                        }
                        break
                    }
                    i &+= c < 0x80 ? 1 : try utf8Length(base, at: i, end: end)
                }
                fields.append(CSVField(start: contentStart, end: i, quoted: true, hasDoubledQuotes: doubled))
                i &+= 1
                if i == end { return }
                guard base[i] == UInt8(ascii: ",") else {
                    throw RecordDecodingError("invalid CSV at byte \(i): expected ',' after a closing quote")
                }
            } else {
                let fieldStart = i
                while i < end {
                    let c = base[i]
                    if c == UInt8(ascii: ",") { break }
                    if c == UInt8(ascii: "\"") {
                        throw RecordDecodingError("invalid CSV at byte \(i): '\"' inside an unquoted field (quote the whole field and double the quote)")
                    }
                    i &+= c < 0x80 ? 1 : try utf8Length(base, at: i, end: end)
                }
                fields.append(CSVField(start: fieldStart, end: i, quoted: false, hasDoubledQuotes: false))
                if i == end { return }
            }
            i &+= 1  // the comma; a field (maybe empty) follows
        }
    }

    @inline(__always)
    private static func utf8Length(_ base: UnsafePointer<UInt8>, at i: Int, end: Int) throws(RecordDecodingError) -> Int {
        let length = UTF8Validation.sequenceLength(base, at: i, end: end)
        guard length > 0 else { throw RecordDecodingError("invalid UTF-8 at byte \(i)") }
        return length
    }
}
