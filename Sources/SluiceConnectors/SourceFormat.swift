import SluiceCore
import SluiceFormats

/// How a source turns lines into records of type `Record`.
///
/// Each source instance makes its own decoder, so decoders keep reusable scratch state
/// without locks. The formats are inlinable so that the decoding closure, and the batch it
/// appends to, are compiled with the pipeline's record type.
public struct SourceFormat<Record> {
    /// Turns one line into a record appended to the batch (time unset), or says why it cannot.
    public typealias Decode = (UnsafeRawBufferPointer, inout Batch<Record>) throws(RecordDecodingError) -> Void
    /// Reads a header line (CSV).
    public typealias AcceptHeader = (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Void

    /// Whether each input starts with a header line.
    public let expectsHeader: Bool
    public let makeDecoder: () -> (decode: Decode, acceptHeader: AcceptHeader)

    /// A format from a line-decoding function.
    @inlinable
    public init(expectsHeader: Bool = false,
                makeDecoder: @escaping () -> (decode: Decode, acceptHeader: AcceptHeader)) {
        self.expectsHeader = expectsHeader
        self.makeDecoder = makeDecoder
    }

    /// Parses each line with `parse`; for formats Sluice does not know.
    @inlinable
    public static func lines(_ parse: @escaping @Sendable (UnsafeRawBufferPointer) throws(RecordDecodingError) -> Record) -> SourceFormat {
        SourceFormat {
            ({ bytes, batch throws(RecordDecodingError) in batch.append(try parse(bytes), time: .noTime) },
             { _ throws(RecordDecodingError) in })
        }
    }
}

extension SourceFormat where Record: Decodable {
    /// One JSON object per line, decoded into `Record` by Sluice's byte-level decoder.
    @inlinable
    public static func jsonLines(_ type: Record.Type = Record.self) -> SourceFormat {
        SourceFormat {
            let decoder = CallState(JSONRecordDecoder<Record>())
            return ({ bytes, batch throws(RecordDecodingError) in batch.append(try decoder.value.decode(bytes), time: .noTime) },
                    { _ throws(RecordDecodingError) in })
        }
    }

    /// One JSON object per line, as `jsonLines(_:)`, then checked by `validate`: a line whose
    /// record it rejects (returning the reason) is a bad record, handled by the pipeline's policy.
    ///
    /// ```swift
    /// .jsonLines(Click.self) { $0.kind == nil ? "unknown type \"\($0.type)\"" : nil }
    /// ```
    @inlinable
    public static func jsonLines(_ type: Record.Type = Record.self,
                                 validate: @escaping @Sendable (Record) -> String?) -> SourceFormat {
        SourceFormat {
            let decoder = CallState(JSONRecordDecoder<Record>())
            return ({ bytes, batch throws(RecordDecodingError) in
                        let record = try decoder.value.decode(bytes)
                        if let reason = validate(record) { throw RecordDecodingError(reason) }
                        batch.append(record, time: .noTime)
                    },
                    { _ throws(RecordDecodingError) in })
        }
    }

    /// Comma-separated values with a header line naming the fields.
    @inlinable
    public static func csv(_ type: Record.Type = Record.self) -> SourceFormat {
        SourceFormat(expectsHeader: true) {
            let decoder = CallState<CSVRecordDecoder<Record>?>(nil)
            return (
                { bytes, batch throws(RecordDecodingError) in
                    guard decoder.value != nil else { throw RecordDecodingError("CSV input has no header line") }
                    batch.append(try decoder.value!.decode(bytes), time: .noTime)
                },
                { bytes throws(RecordDecodingError) in decoder.value = try CSVRecordDecoder<Record>(header: bytes) }
            )
        }
    }
}

/// How a sink turns records into bytes; inlinable for the same reason as `SourceFormat`.
public struct SinkFormat<Record> {
    /// Appends every record of a batch (each with its line end) to the buffer.
    public typealias Encode = (Batch<Record>, inout [UInt8]) throws -> Void
    public let makeEncoder: () -> Encode

    @inlinable
    public init(makeEncoder: @escaping () -> Encode) {
        self.makeEncoder = makeEncoder
    }

    /// Writes each record as the line `describe` returns.
    @inlinable
    public static func lines(_ describe: @escaping @Sendable (Record) -> String) -> SinkFormat {
        SinkFormat {
            { batch, buffer in
                for record in batch.records {
                    buffer.append(contentsOf: describe(record).utf8)
                    buffer.append(10)
                }
            }
        }
    }
}

extension SinkFormat where Record: Encodable {
    /// One compact JSON object per line, fields in declaration order.
    @inlinable
    public static var jsonLines: SinkFormat {
        SinkFormat {
            let encoder = CallState(JSONRecordEncoder<Record>())
            return { batch, buffer in
                for record in batch.records { try encoder.value.encode(record, into: &buffer) }
            }
        }
    }

    /// Comma-separated values with a header line.
    @inlinable
    public static var csv: SinkFormat {
        SinkFormat {
            let encoder = CallState(CSVRecordEncoder<Record>())
            return { batch, buffer in
                for record in batch.records { try encoder.value.encode(record, into: &buffer) }
            }
        }
    }
}
