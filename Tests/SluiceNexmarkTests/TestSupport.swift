import SluiceCore
import SluiceFormats
import SluiceNexmark

/// Helpers shared by the Nexmark tests.
enum TestSupport {
    /// The first `count` generated JSON lines (without their newlines) of `generator`.
    static func lines(_ generator: NexmarkGenerator, count: Int) -> [[UInt8]] {
        var g = generator
        var buffer: [UInt8] = []
        g.appendLines(count, into: &buffer)
        return buffer.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .dropLast().map(Array.init)
    }

    /// Decodes one line (without its newline) with Sluice's JSON-lines decoder.
    static func decode(_ line: String, with decoder: inout JSONRecordDecoder<NexmarkEvent>) throws(RecordDecodingError) -> NexmarkEvent {
        var result: Result<NexmarkEvent, RecordDecodingError>!
        Array(line.utf8).withUnsafeBytes { raw in
            result = Result { () throws(RecordDecodingError) in try decoder.decode(raw) }
        }
        return try result.get()
    }

    /// The first `count` events of `generator`.
    static func events(_ generator: NexmarkGenerator, count: Int) -> [NexmarkEvent] {
        var g = generator
        return (0..<count).map { _ in g.next() }
    }

    /// The top-level keys of a one-line JSON object written by the generator, in order
    /// (its strings never contain quotes, so every `"key":` is a key).
    static func keys(ofLine line: [UInt8]) -> [String] {
        let text = String(decoding: line, as: UTF8.self)
        var keys: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "\"") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
            let afterClose = rest.index(after: close)
            if afterClose < rest.endIndex, rest[afterClose] == ":" {
                keys.append(String(rest[afterOpen..<close]))
                rest = rest[afterClose...]
            } else {
                rest = rest[afterClose...]  // a string value: skip it
            }
        }
        return keys
    }

    /// `floor(n * (1e6 / rate) / 1000)` ms after `baseTime`.
    static func expectedDateTime(_ n: Int64, rate: Double, baseTime: Int64) -> Int64 {
        baseTime + Int64((Double(n) * (1e6 / rate)).rounded(.down)) / 1000
    }
}
