import Foundation
import Testing
import Sluice

@Suite("JSON lines in and out")
struct JSONLinesPipelineTests {
    @Test("typed records from JSON lines, keyed, written as JSON lines; a malformed line is skipped",
          arguments: [1, 2, 4])
    func roundTrip(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        var lines = (0..<500).map { "{\"sensor\":\($0 % 9),\"value\":\($0)}" }
        lines[99] = "{\"sensor\":1,"
        let path = try directory.write("readings.jsonl", lines.joined(separator: "\n") + "\n")
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["readings": path]
        options.outputs = ["totals": directory.file("totals.jsonl")]
        options.onBadRecord = .skip
        options.deadLetterPath = directory.file("dead.jsonl")
        let summary = try Pipeline { p in
            p.source("readings", format: .jsonLines(Reading.self))
                .keyed(by: \.sensor)
                .reduce(id: "total") { Reading(sensor: $0.sensor, value: $0.value + $1.value) }
                .sink("totals", format: .jsonLines)
        }.run(options)
        #expect(summary.badRecords == 1)
        let written = try readLines(directory.file("totals.jsonl")).map {
            try JSONDecoder().decode(Reading.self, from: Data($0.utf8))
        }
        #expect(written.count == 499)
        // The largest running total of each sensor is its sum.
        let good = (0..<500).filter { $0 != 99 }
        let expected = Dictionary(grouping: good, by: { $0 % 9 }).mapValues { $0.reduce(0, +) }
        let totals = Dictionary(grouping: written, by: \.sensor).mapValues { $0.map(\.value).max()! }
        #expect(totals == expected)
        let dead = try readLines(directory.file("dead.jsonl"))
        #expect(dead.count == 1)
        let entry = try JSONSerialization.jsonObject(with: Data(dead[0].utf8)) as? [String: Any]
        #expect(entry?["line"] as? Int == 100)
        #expect(entry?["source"] as? String == path)
        #expect(entry?["raw"] as? String == "{\"sensor\":1,")
        #expect((entry?["reason"] as? String)?.isEmpty == false)
    }
}
