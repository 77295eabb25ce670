/// Reads one value: a member's (for enums, wrappers and other single-value types) or, at
/// index -1, the top-level object itself (which only a nested `init(from:)` can use).
struct JSONSingleValueDecodingContainer: SingleValueDecodingContainer {
    unowned(unsafe) let decoder: JSONFieldDecoder
    let reader: UnsafeMutablePointer<JSONFieldReader>
    let index: Int

    init(decoder: JSONFieldDecoder, index: Int) {
        self.decoder = decoder
        reader = decoder.reader
        self.index = index
    }

    var codingPath: [any CodingKey] { reader.pointee.codingPath(for: index) }

    func decodeNil() -> Bool { reader.pointee.isNull(at: index) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.pointee.bool(at: index) }
    func decode(_ type: String.Type) throws -> String { try reader.pointee.string(at: index) }
    func decode(_ type: Double.Type) throws -> Double { try reader.pointee.double(at: index) }
    func decode(_ type: Float.Type) throws -> Float { try reader.pointee.float(at: index) }
    func decode(_ type: Int.Type) throws -> Int { try reader.pointee.integer(Int.self, at: index) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.pointee.integer(Int8.self, at: index) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.pointee.integer(Int16.self, at: index) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.pointee.integer(Int32.self, at: index) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.pointee.integer(Int64.self, at: index) }
    func decode(_ type: Int128.Type) throws -> Int128 { try reader.pointee.integer(Int128.self, at: index) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.pointee.integer(UInt.self, at: index) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.pointee.integer(UInt8.self, at: index) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.pointee.integer(UInt16.self, at: index) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.pointee.integer(UInt32.self, at: index) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.pointee.integer(UInt64.self, at: index) }
    func decode(_ type: UInt128.Type) throws -> UInt128 { try reader.pointee.integer(UInt128.self, at: index) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.nested(T.self, at: index) }
}
