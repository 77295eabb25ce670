/// Writes the current value as one JSON value (enums, wrappers and other single-value types).
struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    unowned(unsafe) let encoder: JSONFieldEncoder
    let writer: UnsafeMutablePointer<JSONWriter>
    let codingPath: [any CodingKey]

    init(encoder: JSONFieldEncoder, codingPath: [any CodingKey]) {
        self.encoder = encoder
        writer = encoder.writer
        self.codingPath = codingPath
    }

    /// Checks nothing was written for this value yet (a second value is left to Foundation).
    @inline(__always)
    private func begin() throws {
        guard writer.pointee.slotIsEmpty else { throw writer.pointee.requestFallback() }
    }

    mutating func encodeNil() throws {
        try begin()
        writer.pointee.appendLiteral("null")
    }
    mutating func encode(_ value: Bool) throws {
        try begin()
        writer.pointee.appendBool(value)
    }
    mutating func encode(_ value: String) throws {
        try begin()
        writer.pointee.appendString(value)
    }
    mutating func encode(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "cannot encode \(value) in JSON"))
        }
        try begin()
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Float) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "cannot encode \(value) in JSON"))
        }
        try begin()
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
    mutating func encode(_ value: Int) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int8) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int16) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int32) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int64) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: Int128) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt8) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt16) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt32) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt64) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode(_ value: UInt128) throws {
        try begin()
        writer.pointee.appendInteger(value)
    }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try begin()
        try encoder.encodeNested(value, at: codingPath)
    }
}
