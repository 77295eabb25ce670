/// Writes the current value as one JSON value (enums, wrappers and other single-value types).
struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer, JSONValueWriting {
    unowned(unsafe) let encoder: JSONFieldEncoder
    let writer: UnsafeMutablePointer<JSONWriter>
    let codingPath: [any CodingKey]

    init(encoder: JSONFieldEncoder, codingPath: [any CodingKey]) {
        self.encoder = encoder
        writer = encoder.writer
        self.codingPath = codingPath
    }

    mutating func encode(_ value: Int128) throws { try writeInteger(value) }
    mutating func encode(_ value: UInt128) throws { try writeInteger(value) }

    var valuePath: [any CodingKey] { codingPath }

    /// Checks nothing was written for this value yet (a second value is left to Foundation).
    @inline(__always)
    func beginValue() throws {
        guard writer.pointee.slotIsEmpty else { throw writer.pointee.requestFallback() }
    }
}
