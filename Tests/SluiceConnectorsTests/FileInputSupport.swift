import SluiceConnectors
import SluiceCore
import SluiceRuntime

/// A line as a file input delivered it, with the location it reported while delivering it.
struct DeliveredLine: Hashable, CustomStringConvertible {
    var file: String
    var line: Int
    var text: String
    var kind: String

    var description: String { "\(file.split(separator: "/").last ?? ""):\(line) \(kind) \(text.debugDescription)" }
}

/// Everything instance `instance` of `instances` reads from `files`.
func readShare(of files: [String], instance: Int, of instances: Int, expectsHeader: Bool = false,
               maxLineBytes: Int = 1 << 20) throws -> [DeliveredLine] {
    let segments = try FileInput.shares(files: files, instances: instances, follow: false)[instance]
    return try readSegments(segments, expectsHeader: expectsHeader, maxLineBytes: maxLineBytes)
}

/// Everything a file input over `segments` reads.
func readSegments(_ segments: [FileSegment], expectsHeader: Bool = false, maxLineBytes: Int = 1 << 20) throws -> [DeliveredLine] {
    let input = FileInput(segments: segments, follow: false, expectsHeader: expectsHeader,
                          maxLineBytes: maxLineBytes, context: ExecutionContext())
    defer { input.close() }
    var delivered: [DeliveredLine] = []
    var reads = 0
    while try input.read({ line in
        let location = input.currentLocation()
        delivered.append(DeliveredLine(file: location.source, line: location.line,
                                       text: String(decoding: line.bytes, as: UTF8.self), kind: "\(line.kind)"))
    }) {
        reads += 1
        precondition(reads < 1_000_000, "the input never ends")
    }
    return delivered
}

/// What every instance of `instances` reads, together.
func readAllShares(of files: [String], instances: Int, expectsHeader: Bool = false,
                   maxLineBytes: Int = 1 << 20) throws -> [[DeliveredLine]] {
    try (0..<instances).map {
        try readShare(of: files, instance: $0, of: instances, expectsHeader: expectsHeader, maxLineBytes: maxLineBytes)
    }
}

/// The lines of `content` as a reader should deliver them: split at "\n", a "\r" before it
/// dropped, numbered from 1; the last is "unterminated" when the content does not end with "\n".
func expectedLines(of content: [UInt8], file: String, firstLine: Int = 1) -> [DeliveredLine] {
    var pieces = content.split(separator: 10, omittingEmptySubsequences: false).map(Array.init)
    let terminated = content.last == 10 || content.isEmpty
    if terminated { pieces.removeLast() }
    return pieces.enumerated().map { index, piece in
        var bytes = piece
        if bytes.last == 13 { bytes.removeLast() }
        let last = index == pieces.count - 1
        return DeliveredLine(file: file, line: index + firstLine, text: String(decoding: bytes, as: UTF8.self),
                             kind: last && !terminated ? "unterminated" : "record")
    }
}

/// Lines in file order, then line order.
func inFileOrder(_ lines: [DeliveredLine], files: [String]) -> [DeliveredLine] {
    lines.sorted { a, b in
        let fa = files.firstIndex(of: a.file) ?? -1
        let fb = files.firstIndex(of: b.file) ?? -1
        return fa != fb ? fa < fb : a.line < b.line
    }
}
