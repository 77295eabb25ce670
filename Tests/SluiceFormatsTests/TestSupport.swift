import FoundationEssentials
import SluiceCore
import SluiceFormats

/// Decodes one line with a JSONRecordDecoder.
func decodeJSON<T: Decodable>(_ type: T.Type, _ line: String) throws(RecordDecodingError) -> T {
    var decoder = JSONRecordDecoder<T>()
    return try decodeJSON(with: &decoder, line)
}

func decodeJSON<T: Decodable>(with decoder: inout JSONRecordDecoder<T>, _ line: String) throws(RecordDecodingError) -> T {
    try decodeJSON(with: &decoder, Array(line.utf8))
}

func decodeJSON<T: Decodable>(with decoder: inout JSONRecordDecoder<T>, _ bytes: [UInt8]) throws(RecordDecodingError) -> T {
    var result: Result<T, RecordDecodingError>!
    bytes.withUnsafeBytes { raw in
        result = Result { () throws(RecordDecodingError) in try decoder.decode(raw) }
    }
    return try result.get()
}

/// Runs `body` on the UTF-8 bytes of `text`, keeping its typed error.
func withBytes<R>(_ text: String, _ body: (UnsafeRawBufferPointer) throws(RecordDecodingError) -> R) throws(RecordDecodingError) -> R {
    var result: Result<R, RecordDecodingError>!
    Array(text.utf8).withUnsafeBytes { raw in
        result = Result { () throws(RecordDecodingError) in try body(raw) }
    }
    return try result.get()
}

/// The reason our decoder gives for rejecting `line`, or nil when it accepts it.
func jsonError<T: Decodable>(_ type: T.Type, _ line: String) -> String? {
    jsonError(type, Array(line.utf8))
}

func jsonError<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> String? {
    var decoder = JSONRecordDecoder<T>()
    do {
        _ = try decodeJSON(with: &decoder, bytes)
        return nil
    } catch {
        return error.reason
    }
}

/// What Foundation's JSONDecoder makes of `bytes`.
func foundationDecode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) -> T? {
    try? JSONDecoder().decode(T.self, from: Data(bytes))
}

/// Encodes one value with a fresh JSONRecordEncoder, as text.
func encodeJSON<T: Encodable>(_ value: T) throws(RecordEncodingError) -> String {
    var encoder = JSONRecordEncoder<T>()
    var out: [UInt8] = []
    try encoder.encode(value, into: &out)
    return String(decoding: out, as: UTF8.self)
}

func jsonEncodeError<T: Encodable>(_ value: T) -> String? {
    do {
        _ = try encodeJSON(value)
        return nil
    } catch {
        return error.reason
    }
}

/// Decodes CSV lines (header first) with a CSVRecordDecoder.
func decodeCSV<T: Decodable>(_ type: T.Type, header: String, _ lines: [String]) throws(RecordDecodingError) -> [T] {
    var decoder = try withBytes(header) { raw throws(RecordDecodingError) in try CSVRecordDecoder<T>(header: raw) }
    var values: [T] = []
    for line in lines {
        values.append(try withBytes(line) { raw throws(RecordDecodingError) in try decoder.decode(raw) })
    }
    return values
}

func csvError<T: Decodable>(_ type: T.Type, header: String, _ line: String) -> String? {
    do {
        _ = try decodeCSV(type, header: header, [line])
        return nil
    } catch {
        return error.reason
    }
}

func encodeCSV<T: Encodable>(_ values: [T], writesHeader: Bool = true) throws(RecordEncodingError) -> String {
    var encoder = CSVRecordEncoder<T>(writesHeader: writesHeader)
    var out: [UInt8] = []
    for value in values { try encoder.encode(value, into: &out) }
    return String(decoding: out, as: UTF8.self)
}

/// SplitMix64: a small seeded generator, so that property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
