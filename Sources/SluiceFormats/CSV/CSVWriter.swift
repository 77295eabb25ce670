/// The state of `CSVFieldEncoder`: the columns (fixed by the first record) and the values of
/// the record being encoded, kept apart until the record is complete so that they can be put
/// in column order and the header can be written first.
struct CSVWriter {
    var columnNames: [String] = []
    var columnBytes: [[UInt8]] = []
    /// Set once the first record has been written: from then on a key the header lacks is an error.
    var headerFixed = false
    /// The current record's values, back to back, and where each column's value is (-1: none).
    var values: [UInt8] = []
    var starts: [Int] = []
    var ends: [Int] = []
    /// The column a lookup tries first: the one after the last found.
    private var cursor = 0
    /// The column a single-value container writes, or -1 for the row.
    var current = -1
    /// Where a nested or repeated value made the record unwritable (thrown when it ends).
    var pendingError: EncodingError?

    /// Starts a record.
    mutating func start() {
        if !headerFixed {
            columnNames.removeAll()
            columnBytes.removeAll()
            starts.removeAll()
            ends.removeAll()
        }
        values.removeAll(keepingCapacity: true)
        for c in starts.indices {
            starts[c] = -1
            ends[c] = -1
        }
        cursor = 0
        current = -1
        pendingError = nil
    }

    /// Starts the value for `key`'s column: finds the column (adding it while the header is
    /// still open) and checks it was not written already.
    mutating func beginColumn(_ key: some CodingKey) throws -> Int {
        let name = key.stringValue
        let c: Int
        if let found = column(of: name) {
            c = found
        } else if !headerFixed {
            c = columnNames.count
            columnNames.append(name)
            columnBytes.append(Array(name.utf8))
            starts.append(-1)
            ends.append(-1)
        } else {
            throw EncodingError.invalidValue(name, .init(codingPath: [key], debugDescription: "not a column of the CSV header, which the first record fixed"))
        }
        guard starts[c] < 0 else {
            throw EncodingError.invalidValue(name, .init(codingPath: [key], debugDescription: "written twice in one record"))
        }
        starts[c] = values.count
        return c
    }

    mutating func endColumn(_ c: Int) {
        ends[c] = values.count
    }

    @inline(__always)
    private mutating func column(of name: String) -> Int? {
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

    /// Whether the current single value has been written already.
    var currentIsWritten: Bool { current >= 0 && values.count > starts[current] }

    // MARK: Output

    /// Appends the header line (when not written yet) and the record's line to `out`.
    mutating func finish(into out: inout [UInt8], writeHeader: Bool) {
        if !headerFixed {
            headerFixed = true
            if writeHeader {
                for c in columnNames.indices {
                    if c > 0 { out.append(UInt8(ascii: ",")) }
                    Self.appendField(columnBytes[c], to: &out)
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        values.withUnsafeBufferPointer { values in
            for c in starts.indices {
                if c > 0 { out.append(UInt8(ascii: ",")) }
                if starts[c] >= 0 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: values[starts[c]..<ends[c]]))
                }
            }
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// Appends text as a field: quoted (with quotes doubled) when it holds a comma or a quote,
    /// starts or ends with a space, or is empty (so that it reads back as "", not as null).
    static func appendField(_ text: some Collection<UInt8>, to out: inout [UInt8]) {
        let needsQuotes = text.isEmpty || text.first == UInt8(ascii: " ") || text.first == 0x09
            || text.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") })
            || text.reversed().first.map { $0 == UInt8(ascii: " ") || $0 == 0x09 } ?? false
        guard needsQuotes else {
            out.append(contentsOf: text)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text {
            out.append(byte)
            if byte == UInt8(ascii: "\"") { out.append(byte) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a string value, or throws when it holds a line break (fields are read line by line).
    mutating func appendString(_ value: String, codingPath: @autoclosure () -> [any CodingKey]) throws {
        var text = value
        let hasLineBreak = text.withUTF8 { utf8 in
            if utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { return true }
            Self.appendField(utf8, to: &values)
            return false
        }
        if hasLineBreak {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath(), debugDescription: "a CSV field cannot hold a line break"))
        }
    }

    mutating func appendFloatingPoint<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F) {
        if value.isFinite {
            TextWriting.appendFloatingPoint(value, to: &values)
        } else {
            values.append(contentsOf: (value.isNaN ? "nan" : value < 0 ? "-inf" : "inf").utf8)
        }
    }
}
