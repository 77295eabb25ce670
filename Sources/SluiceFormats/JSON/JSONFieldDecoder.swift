import FoundationEssentials
import SluiceCore

/// The `Decoder` behind `JSONRecordDecoder`, reused from line to line.
///
/// `decode(_:from:)` scans the line into a field table, then runs `T.init(from:)` against it.
/// Whatever the fast path does not support (nested containers, `Data`/`URL`/`Decimal`, integers
/// written with a fraction or exponent) sets `fallbackRequested`, and the line is decoded again
/// by Foundation's `JSONDecoder`, so results always equal Foundation's.
final class JSONFieldDecoder: Decoder {
    /// The line's members; behind a pointer so that containers reach it without reference
    /// counting or exclusivity checks.
    let reader: UnsafeMutablePointer<JSONFieldReader>
    private var foundationDecoder: JSONDecoder?
    /// Where `PlainDecodable` and `TaggedDecodable` values are assembled.
    private var storage: (pointer: UnsafeMutableRawPointer, size: Int)?
    /// The last keyed container made, by key type: reused because making one costs a metadata
    /// lookup and an allocation.
    private var cachedContainer: (keyType: ObjectIdentifier, container: AnyObject)?
    /// The plans of the payload types a `TaggedDecodable` record type has decoded (without
    /// fields where a payload is not `PlainDecodable`). Read on every line; only this decoder's thread touches
    /// it, and never while it is being changed, so the run-time exclusivity check is off.
    @exclusivity(unchecked) var payloadPlans: [PayloadPlan] = []

    init() {
        reader = .allocate(capacity: 1)
        reader.initialize(to: JSONFieldReader())
    }

    deinit {
        for plan in payloadPlans { plan.deallocate() }
        storage?.pointer.deallocate()
        reader.pointee.table.deallocate()
        reader.deinitialize(count: 1)
        reader.deallocate()
    }

    /// Decodes a line through `fastPath` when the line allows it, else through `T.init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, from line: UnsafeRawBufferPointer, fastPath: JSONFastPath = .none) throws(RecordDecodingError) -> T {
        guard let raw = line.baseAddress, line.count > 0 else {
            throw RecordDecodingError("invalid JSON at byte 0: expected '{', found end of line")
        }
        let bytes = raw.assumingMemoryBound(to: UInt8.self)
        var scanner = JSONScanner(base: bytes, count: line.count)
        let isObject: Bool
        do {
            isObject = try scanner.scanLine(into: &reader.pointee.table)
        } catch {
            throw RecordDecodingError(error.reason(in: bytes, count: line.count))
        }
        guard isObject else { return try decodeWithFoundation(type, from: line) }
        reader.pointee.start(bytes)
        switch fastPath {
        case .none:
            break
        case .plain(let plan):
            let storage = plainStorage(for: T.self)
            if fillPlain(plan, into: storage) { return storage.assumingMemoryBound(to: T.self).move() }
            reader.pointee.start(bytes)
        case .tagged(let tagged):
            do {
                if try decodeTagged(tagged) { return plainStorage(for: T.self).assumingMemoryBound(to: T.self).move() }
            } catch {
                if !reader.pointee.fallbackRequested {
                    throw RecordDecodingError(CodingErrorText.decodingReason(error, noun: "field"))
                }
                return try decodeWithFoundation(type, from: line)
            }
            reader.pointee.start(bytes)
        }
        do {
            let value = try T(from: self)
            if !reader.pointee.fallbackRequested { return value }
        } catch {
            if !reader.pointee.fallbackRequested {
                throw RecordDecodingError(CodingErrorText.decodingReason(error, noun: "field"))
            }
        }
        return try decodeWithFoundation(type, from: line)
    }

    func plainStorage<T>(for type: T.Type) -> UnsafeMutableRawPointer {
        let size = MemoryLayout<T>.size
        if let storage, storage.size >= size { return storage.pointer }
        storage?.pointer.deallocate()
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(size, 1), alignment: 16)
        storage = (pointer, size)
        return pointer
    }

    private func decodeWithFoundation<T: Decodable>(_ type: T.Type, from line: UnsafeRawBufferPointer) throws(RecordDecodingError) -> T {
        let decoder = foundationDecoder ?? JSONDecoder()
        foundationDecoder = decoder
        do {
            return try decoder.decode(T.self, from: Data(line))
        } catch {
            throw RecordDecodingError(CodingErrorText.decodingReason(error, noun: "field"))
        }
    }

    /// Decodes a non-primitive `T` from member `j` (-1: the top-level object) through its own
    /// `init(from:)`, which may ask for a single-value container (enums, wrappers, `Date`).
    /// Nested objects and arrays, and the types Foundation treats specially, go to Foundation.
    func nested<T: Decodable>(_ type: T.Type, at j: Int) throws -> T {
        if reader.pointee.needsFoundation(T.self, at: j) { throw reader.pointee.requestFallback() }
        let saved = reader.pointee.current
        reader.pointee.current = j
        defer { reader.pointee.current = saved }
        return try T(from: self)
    }

    // MARK: Decoder

    var codingPath: [any CodingKey] { reader.pointee.codingPath(for: reader.pointee.current) }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let current = reader.pointee.current
        guard current < 0 else { throw reader.pointee.mismatch([String: Any].self, at: current) }
        let keyType = ObjectIdentifier(Key.self)
        if let cached = cachedContainer, cached.keyType == keyType {
            return unsafeBitCast(cached.container, to: KeyedDecodingContainer<Key>.self)
        }
        let container = KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self))
        // A KeyedDecodingContainer is one reference to its box; cache it only while that holds.
        if MemoryLayout<KeyedDecodingContainer<Key>>.size == MemoryLayout<AnyObject>.size {
            cachedContainer = (keyType, unsafeBitCast(container, to: AnyObject.self))
        }
        return container
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw reader.pointee.mismatch([Any].self, at: reader.pointee.current)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecodingContainer(decoder: self, index: reader.pointee.current)
    }
}
