import Foundation
import Sluice

/// A fresh directory under the system's temporary directory, removed when the test is done.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `content` to `name` inside the directory and returns the file's path.
    @discardableResult
    func write(_ name: String, _ content: String) throws -> String {
        let file = path + "/" + name
        try content.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The lines of a text file, without their newlines.
func readLines(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines
}

/// A reading from a sensor: the record type of the keyed tests.
struct Reading: Sendable, Hashable, Codable {
    var sensor: Int
    var value: Int
}

/// `count` readings spread over `sensors` sensors, in sensor-interleaved order.
func readings(count: Int, sensors: Int) -> [Reading] {
    (0..<count).map { Reading(sensor: ($0 * 7) % sensors, value: $0) }
}

/// One integer per line; anything else is a bad record.
var integerLines: SourceFormat<Int> {
    .lines { (bytes: UnsafeRawBufferPointer) throws(RecordDecodingError) -> Int in
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = Int(text) else { throw RecordDecodingError("not a number: \(text)") }
        return value
    }
}

/// Writes each integer as its decimal text.
var integerSink: SinkFormat<Int> { .lines { String($0) } }

/// The error the failure tests throw from inside a pipeline.
struct Boom: Error, Equatable {
    var at: Int
}

/// Small batches and channels, so that a few thousand records cross many batch and
/// backpressure boundaries.
func smallBatchOptions(parallelism: Int) -> RunOptions {
    var options = RunOptions(parallelism: parallelism)
    options.batchSize = 64
    options.channelCapacity = 2
    return options
}

/// How many times each element occurs.
func counts<T: Hashable>(_ elements: [T]) -> [T: Int] {
    elements.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}
