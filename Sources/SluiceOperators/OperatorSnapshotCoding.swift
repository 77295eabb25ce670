import SluiceCore
import SluiceState

// Snapshot encoding shared by the window, join and keyed process operators (internal to the module).
//
// Every operator's snapshot starts with a kind byte and a format version, then the operator's
// parameters that its state depends on (a checkpoint of 10 s windows cannot be restored into
// 5 s windows: the error says so), then its watermark, then a count and the per-key entries,
// each starting with its key so that restore can keep the entries of its own key groups.

/// Which operator wrote a snapshot: restoring one operator's state into another is an error.
enum OperatorSnapshotKind: UInt8 {
    case paneWindows = 1
    case sessionWindows = 2
    case windowTop = 3
    case windowJoin = 4
    case intervalJoin = 5
    case unboundedJoin = 6
    case streamTableJoin = 7
    case keyedProcessWithTimers = 8

    var name: String {
        switch self {
        case .paneWindows: "tumbling/sliding window"
        case .sessionWindows: "session window"
        case .windowTop: "top-per-window"
        case .windowJoin: "window join"
        case .intervalJoin: "interval join"
        case .unboundedJoin: "regular join"
        case .streamTableJoin: "stream-table join"
        case .keyedProcessWithTimers: "keyed process function with timers"
        }
    }
}

enum OperatorSnapshotFormat {
    /// The version of the layout written after the kind byte.
    static let version: UInt8 = 1

    static func writeHeader(_ kind: OperatorSnapshotKind, into writer: inout SnapshotWriter) {
        writer.write(kind.rawValue)
        writer.write(version)
    }

    /// Reads the header and checks that it is `kind`'s, in a version this code reads.
    static func readHeader(_ kind: OperatorSnapshotKind, from reader: inout SnapshotReader) throws {
        let raw = try reader.read(UInt8.self)
        guard raw == kind.rawValue else {
            let saved = OperatorSnapshotKind(rawValue: raw).map { "a \($0.name)" } ?? "an unknown operator (kind \(raw))"
            throw SnapshotError(.corrupt, "the checkpoint holds the state of \(saved), not of a \(kind.name): did the step with this id change?")
        }
        let savedVersion = try reader.read(UInt8.self)
        guard savedVersion == version else {
            throw SnapshotError(.unsupportedVersion, "the \(kind.name) state has format version \(savedVersion); this build reads version \(version)")
        }
    }

    /// Reads a parameter saved with the state and checks that the operator still has it.
    static func expect(_ parameter: String, of kind: OperatorSnapshotKind, equal current: Int64,
                       from reader: inout SnapshotReader) throws {
        let saved = try reader.read(Int64.self)
        guard saved == current else {
            throw SnapshotError(.corrupt, "the \(kind.name) state was saved with \(parameter) \(saved), but the step now has \(current): its state cannot be reused")
        }
    }

    /// The watermark a restored instance starts from: the smallest of the saved instances'
    /// (they normally agree, since every instance of a keyed stage sees the same watermarks
    /// before a barrier). The smallest never makes a record late that the original instance
    /// would have accepted.
    static func combine(_ watermark: EventTime?, _ saved: EventTime) -> EventTime {
        watermark.map { Swift.min($0, saved) } ?? saved
    }

    /// A count that cannot exceed the bytes left (every element takes at least one byte), so a
    /// corrupt count fails as truncation rather than as a huge allocation.
    static func readCount(_ reader: inout SnapshotReader) throws -> Int {
        let start = reader.offset
        let count = try reader.readCount()
        guard count <= reader.remaining else {
            throw SnapshotError(.truncated, "truncated: \(count) entries at offset \(start), only \(reader.remaining) bytes left")
        }
        return count
    }
}

/// Encodes and decodes values of a generic type that is `Codable` only as run time knows it
/// (an operator's key, accumulator or record type), through `BinaryEncoder`/`BinaryDecoder`.
/// The metatype is opened once, so each value costs one same-type cast.
struct SnapshotValueCoder<Value> {
    let encode: (Value, inout SnapshotWriter) throws -> Void
    let decode: (inout SnapshotReader) throws -> Value

    /// Whether `Value` is `Codable`.
    static var isCodable: Bool { Value.self is any Codable.Type }

    /// A coder for `Value`; throws if it is not `Codable` (`role` names it in the error).
    init(_ role: String) throws {
        guard let type = Value.self as? any Codable.Type else {
            throw SnapshotError(.corrupt, "the \(role) type \(Value.self) is not Codable: checkpoints cannot save it")
        }
        self = Self.opened(type)
    }

    private init(encode: @escaping (Value, inout SnapshotWriter) throws -> Void,
                 decode: @escaping (inout SnapshotReader) throws -> Value) {
        self.encode = encode
        self.decode = decode
    }

    private static func opened<C: Codable>(_ type: C.Type) -> SnapshotValueCoder {
        let encoder = BinaryEncoder()
        let decoder = BinaryDecoder()
        return SnapshotValueCoder(encode: { value, writer in try encoder.encode(value as! C, into: &writer) },
                                  decode: { reader in try decoder.decode(C.self, from: &reader) as! Value })
    }
}

extension SnapshotWriter {
    /// A varint count.
    mutating func writeCount(_ count: Int) {
        writeVarint(UInt64(count))
    }
}

extension SnapshotReader {
    /// A window saved as its start and end, checked to be non-empty.
    mutating func readWindow() throws -> Window {
        let at = offset
        let start = try read(Int64.self)
        let end = try read(Int64.self)
        guard start < end else { throw SnapshotError(.corrupt, "corrupt: window [\(start), \(end)) at offset \(at) is empty") }
        return Window(start: start, end: end)
    }
}
