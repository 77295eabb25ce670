import FoundationEssentials

/// The `Encoder` behind `CSVRecordEncoder`, reused from record to record.
final class CSVFieldEncoder: Encoder {
    let writer: UnsafeMutablePointer<CSVWriter>
    let writesHeader: Bool

    init(writesHeader: Bool) {
        self.writesHeader = writesHeader
        writer = .allocate(capacity: 1)
        writer.initialize(to: CSVWriter())
    }

    deinit {
        writer.deinitialize(count: 1)
        writer.deallocate()
    }

    func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws(RecordEncodingError) {
        writer.pointee.start()
        do {
            try value.encode(to: self)
            if let error = writer.pointee.pendingError { throw error }
        } catch {
            throw RecordEncodingError(CodingErrorText.encodingReason(writer.pointee.pendingError ?? error, noun: "column"))
        }
        writer.pointee.finish(into: &buffer, writeHeader: writesHeader)
    }

    /// Writes column `c`'s value from `value`'s own `encode(to:)` (enums, wrappers, `Date`);
    /// `URL`, `Data` and `Decimal` as text, as Foundation's JSONEncoder writes them.
    func encodeNested<T: Encodable>(_ value: T, column c: Int, codingPath: [any CodingKey]) throws {
        if let url = value as? URL {
            try writer.pointee.appendString(url.absoluteString, codingPath: codingPath)
        } else if let data = value as? Data {
            try writer.pointee.appendString(data.base64EncodedString(), codingPath: codingPath)
        } else if let decimal = value as? Decimal {
            try writer.pointee.appendString(decimal.description, codingPath: codingPath)
        } else {
            let saved = writer.pointee.current
            writer.pointee.current = c
            defer { writer.pointee.current = saved }
            try value.encode(to: self)
        }
    }

    /// Records that the value at `codingPath` cannot be a CSV field.
    func reject(_ what: String) {
        if writer.pointee.pendingError == nil {
            writer.pointee.pendingError = .invalidValue(what, .init(codingPath: codingPath, debugDescription: "a CSV \(writer.pointee.current < 0 ? "row" : "field") cannot hold \(what)"))
        }
    }

    // MARK: Encoder

    var codingPath: [any CodingKey] {
        let c = writer.pointee.current
        return c < 0 ? [] : [FieldKey(stringValue: writer.pointee.columnNames[c])]
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if writer.pointee.current >= 0 { reject("a nested object") }
        return KeyedEncodingContainer(CSVKeyedEncodingContainer<Key>(encoder: self, rejecting: writer.pointee.current >= 0))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        reject("an array")
        return CSVRejectingUnkeyedEncodingContainer(encoder: self, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        CSVSingleValueEncodingContainer(encoder: self, codingPath: codingPath)
    }
}
