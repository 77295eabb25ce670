import Foundation
import Testing
import Sluice

@Suite("File sources and sinks end to end")
struct FileSinkTests {
    static let numbers = Array(1...2000)

    @Test("file in, file out: every record once", arguments: [1, 2, 4])
    func fileToFile(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["in": try directory.write("in.txt", Self.numbers.map(String.init).joined(separator: "\n") + "\n")]
        options.outputs = ["out": directory.file("out.txt")]
        let summary = try Pipeline { p in
            p.source("in", format: integerLines).map { $0 * 2 }.sink("out", format: integerSink)
        }.run(options)
        #expect(try readLines(directory.file("out.txt")).compactMap(Int.init).sorted() == Self.numbers.map { $0 * 2 })
        #expect(summary.recordsIn == Self.numbers.count)
        #expect(summary.recordsOut == Self.numbers.count)
    }

    @Test("a directory input is read file by file; a directory output has one part per instance", arguments: [1, 2, 4])
    func directoryToDirectory(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        let inputs = directory.file("inputs")
        try FileManager.default.createDirectory(atPath: inputs, withIntermediateDirectories: true)
        try directory.write("inputs/a.txt", (1...700).map(String.init).joined(separator: "\n") + "\n")
        try directory.write("inputs/b.txt", (701...1500).map(String.init).joined(separator: "\n"))
        try directory.write("inputs/c.txt", "")
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["in": inputs]
        options.outputs = ["out": directory.file("parts/")]
        try Pipeline { p in
            p.source("in", format: integerLines).keyed(by: { $0 % 10 }).reduce(id: "last") { $1 }.sink("out", format: integerSink)
        }.run(options)
        let parts = try FileManager.default.contentsOfDirectory(atPath: directory.file("parts")).sorted()
        #expect(parts == (0..<parallelism).map { "part-\($0)" })
        let perPart = try parts.map { try readLines(directory.file("parts/\($0)")).compactMap(Int.init) }
        #expect(perPart.flatMap { $0 }.sorted() == Array(1...1500))
        // A key lives in one keyed instance, and the sink is fused to it: one part file per key.
        for key in 0..<10 {
            let holders = perPart.indices.filter { perPart[$0].contains { $0 % 10 == key } }
            #expect(holders.count == 1, "key \(key) in parts \(holders)")
        }
    }
}
