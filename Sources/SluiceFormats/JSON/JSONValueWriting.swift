/// A container that writes one JSON value at a time (a single value, or an array's elements):
/// everything but where a value starts is the same, so the scalar writes live here once.
protocol JSONValueWriting {
    var encoder: JSONFieldEncoder { get }
    var writer: UnsafeMutablePointer<JSONWriter> { get }
    /// The coding path of the value about to be written (errors, nested values).
    var valuePath: [any CodingKey] { get }
    /// Prepares the output for one more value, or throws to hand the record to Foundation.
    func beginValue() throws
}

extension JSONValueWriting {
    mutating func encodeNil() throws {
        try beginValue()
        writer.pointee.appendLiteral("null")
    }
    mutating func encode(_ value: Bool) throws {
        try beginValue()
        writer.pointee.appendBool(value)
    }
    mutating func encode(_ value: String) throws {
        try beginValue()
        writer.pointee.appendString(value)
    }
    mutating func encode(_ value: Double) throws { try appendFloatingPoint(value) }
    mutating func encode(_ value: Float) throws { try appendFloatingPoint(value) }
    mutating func encode(_ value: Int) throws { try writeInteger(value) }
    mutating func encode(_ value: Int8) throws { try writeInteger(value) }
    mutating func encode(_ value: Int16) throws { try writeInteger(value) }
    mutating func encode(_ value: Int32) throws { try writeInteger(value) }
    mutating func encode(_ value: Int64) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { try writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let path = valuePath
        try beginValue()
        try encoder.encodeNested(value, at: path)
    }

    /// (128-bit integers have standard-library defaults too, so each container names them itself.)
    @inline(__always)
    func writeInteger<T: FixedWidthInteger>(_ value: T) throws {
        try beginValue()
        writer.pointee.appendInteger(value)
    }

    @inline(__always)
    private func appendFloatingPoint<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: valuePath, debugDescription: "cannot encode \(value) in JSON"))
        }
        try beginValue()
        TextWriting.appendFloatingPoint(value, to: &writer.pointee.out)
    }
}
