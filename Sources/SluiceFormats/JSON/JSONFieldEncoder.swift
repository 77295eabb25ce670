import FoundationEssentials

/// The `Encoder` behind `JSONRecordEncoder`, reused from record to record. It writes straight
/// into the caller's buffer (see `JSONWriter`); what it cannot stream (a write into a container
/// already closed, `superEncoder`) is redone by Foundation's `JSONEncoder`.
final class JSONFieldEncoder: Encoder {
    /// Behind a pointer so that containers reach it without reference counting or exclusivity checks.
    let writer: UnsafeMutablePointer<JSONWriter>
    private var foundationEncoder: JSONEncoder?
    /// For a `PlainEncodable` type: each property's `"key":`, escaped.
    var plainKeys: [[UInt8]] = []

    init() {
        writer = .allocate(capacity: 1)
        writer.initialize(to: JSONWriter())
    }

    deinit {
        writer.deinitialize(count: 1)
        writer.deallocate()
    }

    func encode<T: Encodable>(_ value: T, into buffer: inout [UInt8]) throws(RecordEncodingError) {
        swap(&writer.pointee.out, &buffer)
        defer { swap(&writer.pointee.out, &buffer) }
        let start = writer.pointee.out.count
        writer.pointee.start()
        do {
            try value.encode(to: self)
        } catch {
            if !writer.pointee.fallbackRequested {
                writer.pointee.out.removeSubrange(start...)
                throw RecordEncodingError(CodingErrorText.encodingReason(error, noun: "field"))
            }
        }
        if writer.pointee.fallbackRequested {
            writer.pointee.out.removeSubrange(start...)
            try encodeWithFoundation(value)
        } else {
            writer.pointee.finish()
            if writer.pointee.out.count == start { writer.pointee.appendLiteral("{}") }
        }
        writer.pointee.out.append(UInt8(ascii: "\n"))
    }

    private func encodeWithFoundation<T: Encodable>(_ value: T) throws(RecordEncodingError) {
        let encoder = foundationEncoder ?? JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        foundationEncoder = encoder
        do {
            writer.pointee.out.append(contentsOf: try encoder.encode(value))
        } catch {
            throw RecordEncodingError(CodingErrorText.encodingReason(error, noun: "field"))
        }
    }

    /// Encodes `value` as the value whose key (or comma) was just written, at `codingPath`.
    func encodeNested<T: Encodable>(_ value: T, at codingPath: [any CodingKey]) throws {
        if try encodeSpecial(value) { return }
        let saved = (writer.pointee.slotDepth, writer.pointee.slotStart, writer.pointee.slotFrameID, writer.pointee.codingPath)
        writer.pointee.slotDepth = writer.pointee.frames.count
        writer.pointee.slotStart = writer.pointee.out.count
        writer.pointee.slotFrameID = nil
        writer.pointee.codingPath = codingPath
        defer {
            (writer.pointee.slotDepth, writer.pointee.slotStart, writer.pointee.slotFrameID, writer.pointee.codingPath) = saved
        }
        try value.encode(to: self)
        // A value that encodes nothing is an empty object, as with Foundation.
        if writer.pointee.slotIsEmpty { writer.pointee.appendLiteral("{}") }
    }

    /// Writes the types Foundation's JSONEncoder treats specially the way it does: `URL` as its
    /// absolute string, `Data` as base64, `Decimal` as a number. Returns false for other types.
    private func encodeSpecial<T: Encodable>(_ value: T) throws -> Bool {
        guard FoundationSpecialTypes.contains(T.self) else { return false }
        if let url = value as? URL {
            writer.pointee.appendString(url.absoluteString)
        } else if let data = value as? Data {
            writer.pointee.appendString(data.base64EncodedString())
        } else if let decimal = value as? Decimal {
            guard decimal.isFinite else {
                throw EncodingError.invalidValue(decimal, .init(codingPath: writer.pointee.codingPath, debugDescription: "cannot encode \(decimal) in JSON"))
            }
            writer.pointee.out.append(contentsOf: decimal.description.utf8)
        } else {
            return false
        }
        return true
    }

    // MARK: Encoder

    var codingPath: [any CodingKey] { writer.pointee.codingPath }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let id = openSlotContainer(isArray: false)
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(
            encoder: self, depth: writer.pointee.slotDepth, id: id, codingPath: writer.pointee.codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let id = openSlotContainer(isArray: true)
        return JSONUnkeyedEncodingContainer(encoder: self, depth: writer.pointee.slotDepth, id: id, codingPath: writer.pointee.codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self, codingPath: writer.pointee.codingPath)
    }

    /// The container for the current value: the one already opened for it (asking twice is
    /// allowed), or a new one.
    private func openSlotContainer(isArray: Bool) -> UInt32 {
        let depth = writer.pointee.slotDepth
        if let id = writer.pointee.slotFrameID {
            let frames = writer.pointee.frames
            if frames.count > depth && frames[depth].id == id && frames[depth].isArray == isArray { return id }
            writer.pointee.fallbackRequested = true
            return id
        }
        guard writer.pointee.slotIsEmpty else {
            writer.pointee.fallbackRequested = true
            return .max
        }
        let id = writer.pointee.open(isArray: isArray)
        writer.pointee.slotFrameID = id
        return id
    }
}
