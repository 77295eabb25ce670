/// The header's column names and the current line's fields, for `CSVFieldDecoder` and its
/// containers (behind a pointer, like `JSONFieldReader`).
struct CSVFieldReader {
    /// Column names, as UTF-8 bytes and as strings.
    var columnBytes: [[UInt8]] = []
    var columnNames: [String] = []
    var fields: [CSVField] = []
    var base = UnsafePointer<UInt8>(bitPattern: 1)!
    /// The column a lookup tries first: the one after the last found.
    var cursor = 0
    /// The column a single-value container reads, or -1 for the row.
    var current = -1
    var scratch: [UInt8] = []

    /// The column named `name`, or nil when the header has none.
    @inline(__always)
    mutating func column(of name: String) -> Int? {
        let found = name.utf8.withContiguousStorageIfAvailable { key -> Int in
            let count = columnBytes.count
            if cursor < count && Self.equal(columnBytes[cursor], key) {
                cursor &+= 1
                return cursor &- 1
            }
            for c in 0..<count where Self.equal(columnBytes[c], key) {
                cursor = c &+ 1
                return c
            }
            return -1
        }
        if let found { return found >= 0 ? found : nil }
        return columnNames.firstIndex(of: name)
    }

    @inline(__always)
    private static func equal(_ name: [UInt8], _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count == key.count && name.withUnsafeBufferPointer { $0.elementsEqual(key) }
    }

    /// The coding path of column `c`'s value (-1: the row).
    mutating func codingPath(for c: Int) -> [any CodingKey] {
        c < 0 ? [] : [FieldKey(stringValue: columnNames[c])]
    }

    // MARK: Values

    /// An empty, unquoted field is null.
    mutating func isNull(at c: Int) -> Bool {
        guard c >= 0 else { return false }
        let field = fields[c]
        return field.count == 0 && !field.quoted
    }

    mutating func string(at c: Int) throws -> String {
        guard c >= 0 else { throw notSingleValue(String.self) }
        let field = fields[c]
        let text = UnsafeBufferPointer(start: base + field.start, count: field.count)
        guard field.hasDoubledQuotes else { return String(decoding: text, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        var k = 0
        while k < text.count {
            scratch.append(text[k])
            k &+= text[k] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    @inline(__always)
    mutating func integer<I: FixedWidthInteger>(_ type: I.Type, at c: Int) throws -> I {
        guard c >= 0 else { throw notSingleValue(I.self) }
        let field = fields[c]
        guard let parsed = NumberParsing.integer(base + field.start, count: field.count) else {
            throw mismatch(I.self, at: c)
        }
        guard !parsed.overflow, let value = NumberParsing.convert(parsed.magnitude, negative: parsed.negative, to: I.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath(for: c), debugDescription: "\(text(at: c)) does not fit in \(I.self)"))
        }
        return value
    }

    mutating func double(at c: Int) throws -> Double {
        guard c >= 0 else { throw notSingleValue(Double.self) }
        let field = fields[c]
        guard Self.isFloatingPointText(base + field.start, count: field.count),
              let value = NumberParsing.double(base + field.start, count: field.count)
        else { throw mismatch(Double.self, at: c) }
        return value
    }

    mutating func float(at c: Int) throws -> Float {
        guard c >= 0 else { throw notSingleValue(Float.self) }
        let field = fields[c]
        guard Self.isFloatingPointText(base + field.start, count: field.count),
              let value = NumberParsing.float(base + field.start, count: field.count)
        else { throw mismatch(Float.self, at: c) }
        return value
    }

    /// `true`/`false` in any case, or `1`/`0`.
    mutating func bool(at c: Int) throws -> Bool {
        guard c >= 0 else { throw notSingleValue(Bool.self) }
        switch text(at: c).lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw mismatch(Bool.self, at: c)
        }
    }

    /// Decimal numbers (`12`, `-1.5`, `.5`, `2e-3`, `+7`) and `nan`, `inf`, `infinity` with an
    /// optional sign, in any case; not hex or anything else `strtod` would take.
    static func isFloatingPointText(_ text: UnsafePointer<UInt8>, count: Int) -> Bool {
        var k = 0
        if k < count && (text[k] == UInt8(ascii: "-") || text[k] == UInt8(ascii: "+")) { k &+= 1 }
        if k < count && (text[k] | 0x20 == UInt8(ascii: "n") || text[k] | 0x20 == UInt8(ascii: "i")) {
            let rest = String(decoding: UnsafeBufferPointer(start: text + k, count: count &- k), as: UTF8.self).lowercased()
            return rest == "nan" || rest == "inf" || rest == "infinity"
        }
        var digits = 0
        while k < count && text[k] &- UInt8(ascii: "0") < 10 { k &+= 1; digits &+= 1 }
        if k < count && text[k] == UInt8(ascii: ".") {
            k &+= 1
            while k < count && text[k] &- UInt8(ascii: "0") < 10 { k &+= 1; digits &+= 1 }
        }
        guard digits > 0 else { return false }
        if k < count && text[k] | 0x20 == UInt8(ascii: "e") {
            k &+= 1
            if k < count && (text[k] == UInt8(ascii: "-") || text[k] == UInt8(ascii: "+")) { k &+= 1 }
            guard k < count && text[k] &- UInt8(ascii: "0") < 10 else { return false }
            while k < count && text[k] &- UInt8(ascii: "0") < 10 { k &+= 1 }
        }
        return k == count
    }

    // MARK: Errors

    mutating func text(at c: Int) -> String {
        let field = fields[c]
        return String(decoding: UnsafeBufferPointer(start: base + field.start, count: field.count), as: UTF8.self)
    }

    /// `expected an integer, found "12a"`, or "found null" (value not found) for an empty field.
    mutating func mismatch(_ type: Any.Type, at c: Int) -> DecodingError {
        if isNull(at: c) {
            return .valueNotFound(type, .init(codingPath: codingPath(for: c), debugDescription: "expected \(CodingErrorText.expected(type)), found an empty field"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath(for: c), debugDescription: "expected \(CodingErrorText.expected(type)), found \"\(text(at: c))\""))
    }

    /// The row itself was asked for as a single value.
    mutating func notSingleValue(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: [], debugDescription: "expected \(CodingErrorText.expected(type)), found a CSV row"))
    }
}
