/// Reads one column's value (for enums, wrappers and other single-value types).
struct CSVSingleValueDecodingContainer: SingleValueDecodingContainer {
    unowned(unsafe) let decoder: CSVFieldDecoder
    let reader: UnsafeMutablePointer<CSVFieldReader>
    /// The column, or -1 for the row itself (which is no single value).
    let column: Int

    init(decoder: CSVFieldDecoder, column: Int) {
        self.decoder = decoder
        reader = decoder.reader
        self.column = column
    }

    var codingPath: [any CodingKey] { reader.pointee.codingPath(for: column) }

    func decodeNil() -> Bool { reader.pointee.isNull(at: column) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.pointee.bool(at: column) }
    func decode(_ type: String.Type) throws -> String { try reader.pointee.string(at: column) }
    func decode(_ type: Double.Type) throws -> Double { try reader.pointee.double(at: column) }
    func decode(_ type: Float.Type) throws -> Float { try reader.pointee.float(at: column) }
    func decode(_ type: Int.Type) throws -> Int { try reader.pointee.integer(Int.self, at: column) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.pointee.integer(Int8.self, at: column) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.pointee.integer(Int16.self, at: column) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.pointee.integer(Int32.self, at: column) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.pointee.integer(Int64.self, at: column) }
    func decode(_ type: Int128.Type) throws -> Int128 { try reader.pointee.integer(Int128.self, at: column) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.pointee.integer(UInt.self, at: column) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.pointee.integer(UInt8.self, at: column) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.pointee.integer(UInt16.self, at: column) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.pointee.integer(UInt32.self, at: column) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.pointee.integer(UInt64.self, at: column) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try reader.pointee.integer(UInt128.self, at: column) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.nested(T.self, at: column) }
}
