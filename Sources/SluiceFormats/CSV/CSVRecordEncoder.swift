/// Writes `T`s as CSV lines, with a header line first (before the first record).
///
/// ```swift
/// var encoder = CSVRecordEncoder<Bid>()
/// var out: [UInt8] = []
/// try encoder.encode(bid, into: &out)   // auction,bidder,...\n1000,1001,...\n
/// ```
///
/// The first record fixes the columns: its keys, in encode order (nil optionals included, as
/// empty fields). Later records are written in that column order; a key the header lacks is an
/// error, a missing one an empty field. Fields are quoted per RFC 4180 when they hold a comma or
/// a quote, start or end with a space, or are empty strings (an empty unquoted field is null).
/// Strings with line breaks cannot be written (lines are read one at a time), nor can nested
/// objects or arrays. Floating point is written as the shortest text that reads back exactly;
/// NaN and infinities as `nan`, `inf`, `-inf`.
public struct CSVRecordEncoder<T: Encodable> {
    private var impl: CSVFieldEncoder
    private let writesHeader: Bool

    /// An encoder that writes the header line before the first record.
    public init() {
        self.init(writesHeader: true)
    }

    /// An encoder that writes the header line before the first record only when `writesHeader`
    /// (pass false when appending to a file that has one).
    public init(writesHeader: Bool) {
        self.writesHeader = writesHeader
        impl = CSVFieldEncoder(writesHeader: writesHeader)
    }

    /// Appends `value` as one line (after the header line, the first time) to `buffer`. On error,
    /// `buffer` is left as it was.
    public mutating func encode(_ value: T, into buffer: inout [UInt8]) throws(RecordEncodingError) {
        if !isKnownUniquelyReferenced(&impl) {
            let columns = impl.writer.pointee
            impl = CSVFieldEncoder(writesHeader: writesHeader)
            impl.writer.pointee.columnNames = columns.columnNames
            impl.writer.pointee.columnBytes = columns.columnBytes
            impl.writer.pointee.headerFixed = columns.headerFixed
            impl.writer.pointee.starts = columns.starts
            impl.writer.pointee.ends = columns.ends
        }
        try impl.encode(value, into: &buffer)
    }
}

extension CSVRecordEncoder: @unchecked Sendable {}
