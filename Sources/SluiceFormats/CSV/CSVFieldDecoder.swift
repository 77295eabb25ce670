import FoundationEssentials
import SluiceCore

/// The `Decoder` behind `CSVRecordDecoder`, reused from line to line: columns are matched to
/// coding keys by header name.
final class CSVFieldDecoder: Decoder {
    let reader: UnsafeMutablePointer<CSVFieldReader>
    private var cachedContainer: (keyType: ObjectIdentifier, container: AnyObject)?

    init(header: UnsafeRawBufferPointer) throws(RecordDecodingError) {
        reader = .allocate(capacity: 1)
        reader.initialize(to: CSVFieldReader())
        guard let raw = header.baseAddress, header.count > 0 else {
            throw RecordDecodingError("CSV header is empty")
        }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        let bom = header.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        var fields: [CSVField] = []
        try CSVLineSplitter.split(bytes, count: header.count, from: bom ? 3 : 0, into: &fields)
        var seen = Set<String>()
        for field in fields {
            reader.pointee.fields = [field]
            reader.pointee.base = bytes
            let name = (try? reader.pointee.string(at: 0)) ?? ""
            guard !name.isEmpty else { throw RecordDecodingError("CSV header has an empty column name") }
            guard seen.insert(name).inserted else { throw RecordDecodingError("CSV header names column \"\(name)\" twice") }
            reader.pointee.columnNames.append(name)
            reader.pointee.columnBytes.append(Array(name.utf8))
        }
        reader.pointee.fields = []
    }

    deinit {
        reader.deinitialize(count: 1)
        reader.deallocate()
    }

    func decode<T: Decodable>(_ type: T.Type, from line: UnsafeRawBufferPointer) throws(RecordDecodingError) -> T {
        let bytes = line.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        try CSVLineSplitter.split(bytes, count: line.count, into: &reader.pointee.fields)
        let columns = reader.pointee.columnNames.count
        let found = reader.pointee.fields.count
        guard found == columns else {
            throw RecordDecodingError("expected \(columns) field\(columns == 1 ? "" : "s") as in the header, found \(found)")
        }
        reader.pointee.base = bytes
        reader.pointee.cursor = 0
        reader.pointee.current = -1
        do {
            return try T(from: self)
        } catch {
            throw RecordDecodingError(CodingErrorText.decodingReason(error, noun: "column"))
        }
    }

    /// Decodes a non-primitive `T` from column `c` through its own `init(from:)` (enums,
    /// wrappers, `Date`); `URL`, `Data` and `Decimal` from their text forms.
    func nested<T: Decodable>(_ type: T.Type, at c: Int) throws -> T {
        if c >= 0 && FoundationSpecialTypes.contains(T.self) {
            let text = try reader.pointee.string(at: c)
            let value: Any? = switch T.self {
            case is URL.Type: URL(string: text)
            case is Data.Type: Data(base64Encoded: text)
            default: Decimal(string: text)
            }
            guard let value = value as? T else {
                throw DecodingError.dataCorrupted(.init(codingPath: reader.pointee.codingPath(for: c), debugDescription: "invalid \(T.self) \"\(text)\""))
            }
            return value
        }
        let saved = reader.pointee.current
        reader.pointee.current = c
        defer { reader.pointee.current = saved }
        return try T(from: self)
    }

    // MARK: Decoder

    var codingPath: [any CodingKey] { reader.pointee.codingPath(for: reader.pointee.current) }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let current = reader.pointee.current
        guard current < 0 else {
            throw DecodingError.typeMismatch([String: Any].self, .init(codingPath: codingPath, debugDescription: "a CSV field cannot hold a nested object"))
        }
        let keyType = ObjectIdentifier(Key.self)
        if let cached = cachedContainer, cached.keyType == keyType {
            return unsafeBitCast(cached.container, to: KeyedDecodingContainer<Key>.self)
        }
        let container = KeyedDecodingContainer(CSVKeyedDecodingContainer<Key>(decoder: self))
        if MemoryLayout<KeyedDecodingContainer<Key>>.size == MemoryLayout<AnyObject>.size {
            cachedContainer = (keyType, unsafeBitCast(container, to: AnyObject.self))
        }
        return container
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a CSV \(reader.pointee.current < 0 ? "row" : "field") cannot hold an array"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        CSVSingleValueDecodingContainer(decoder: self, column: reader.pointee.current)
    }
}
