import SluiceCore
import SluiceFormats

/// How a source turns lines into records of type `Record`.
///
/// Each source instance makes its own decoder, so decoders keep reusable scratch state
/// without locks.
public struct SourceFormat<Record> {
    /// Turns one line into a record, or says why it cannot.
    public typealias Decode = (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Record
    /// Reads a header line (CSV).
    public typealias AcceptHeader = (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Void

    /// Whether each input starts with a header line.
    public let expectsHeader: Bool
    let makeDecoder: () -> (decode: Decode, acceptHeader: AcceptHeader)

    /// A format from a line-decoding function.
    public init(expectsHeader: Bool = false,
                makeDecoder: @escaping () -> (decode: Decode, acceptHeader: AcceptHeader)) {
        self.expectsHeader = expectsHeader
        self.makeDecoder = makeDecoder
    }

    /// Parses each line with `parse`; for formats Sluice does not know.
    public static func lines(_ parse: @escaping @Sendable (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Record) -> SourceFormat {
        SourceFormat { (parse, { _ throws(RecordDecodingError) in }) }
    }
}

extension SourceFormat where Record: Decodable {
    /// One JSON object per line, decoded into `Record` by Sluice's byte-level decoder.
    public static func jsonLines(_ type: Record.Type = Record.self) -> SourceFormat {
        SourceFormat {
            var decoder = JSONRecordDecoder<Record>()
            return ({ bytes throws(RecordDecodingError) in try decoder.decode(bytes) }, { _ throws(RecordDecodingError) in })
        }
    }

    /// Comma-separated values with a header line naming the fields.
    public static func csv(_ type: Record.Type = Record.self) -> SourceFormat {
        SourceFormat(expectsHeader: true) {
            var decoder: CSVRecordDecoder<Record>?
            return (
                { bytes throws(RecordDecodingError) in
                    guard decoder != nil else { throw RecordDecodingError("CSV input has no header line") }
                    return try decoder!.decode(bytes)
                },
                { bytes throws(RecordDecodingError) in decoder = try CSVRecordDecoder<Record>(header: bytes) }
            )
        }
    }
}

/// How a sink turns records into bytes.
public struct SinkFormat<Record> {
    /// Appends one record (and its line end) to the buffer.
    public typealias Encode = (Record, inout [UInt8]) throws -> Void
    let makeEncoder: () -> Encode

    public init(makeEncoder: @escaping () -> Encode) {
        self.makeEncoder = makeEncoder
    }

    /// Writes each record as the line `describe` returns.
    public static func lines(_ describe: @escaping @Sendable (Record) -> String) -> SinkFormat {
        SinkFormat {
            { record, buffer in
                buffer.append(contentsOf: describe(record).utf8)
                buffer.append(10)
            }
        }
    }
}

extension SinkFormat where Record: Encodable {
    /// One compact JSON object per line, fields in declaration order.
    public static var jsonLines: SinkFormat {
        SinkFormat {
            var encoder = JSONRecordEncoder<Record>()
            return { record, buffer in try encoder.encode(record, into: &buffer) }
        }
    }

    /// Comma-separated values with a header line.
    public static var csv: SinkFormat {
        SinkFormat {
            var encoder = CSVRecordEncoder<Record>()
            return { record, buffer in try encoder.encode(record, into: &buffer) }
        }
    }
}
