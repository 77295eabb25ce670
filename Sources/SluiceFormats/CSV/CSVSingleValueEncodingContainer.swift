/// Writes one column's value (enums, wrappers and other single-value types).
struct CSVSingleValueEncodingContainer: SingleValueEncodingContainer {
    unowned(unsafe) let encoder: CSVFieldEncoder
    let writer: UnsafeMutablePointer<CSVWriter>
    let codingPath: [any CodingKey]

    init(encoder: CSVFieldEncoder, codingPath: [any CodingKey]) {
        self.encoder = encoder
        writer = encoder.writer
        self.codingPath = codingPath
    }

    /// Checks there is a column to write and it is still empty.
    private func begin() throws {
        guard writer.pointee.current >= 0 else {
            throw EncodingError.invalidValue("", .init(codingPath: codingPath, debugDescription: "a CSV row must be a keyed container, not a single value"))
        }
        guard !writer.pointee.currentIsWritten else {
            throw EncodingError.invalidValue("", .init(codingPath: codingPath, debugDescription: "a single-value container was written twice"))
        }
    }

    mutating func encodeNil() throws { try begin() }
    mutating func encode(_ value: Bool) throws {
        try begin()
        writer.pointee.values.append(contentsOf: (value ? "true" : "false").utf8)
    }
    mutating func encode(_ value: String) throws {
        try begin()
        try writer.pointee.appendString(value, codingPath: codingPath)
    }
    mutating func encode(_ value: Double) throws {
        try begin()
        writer.pointee.appendFloatingPoint(value)
    }
    mutating func encode(_ value: Float) throws {
        try begin()
        writer.pointee.appendFloatingPoint(value)
    }
    mutating func encode(_ value: Int) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: Int8) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: Int16) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: Int32) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: Int64) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: Int128) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt8) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt16) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt32) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt64) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode(_ value: UInt128) throws {
        try begin()
        TextWriting.appendInteger(value, to: &writer.pointee.values)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeNested(value, column: writer.pointee.current, codingPath: codingPath)
    }
}
