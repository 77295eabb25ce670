import Foundation
import Testing

/// The recommendation pipeline run as a user runs it: a small stream whose lists can be worked
/// out by hand, and its HTTP read side answering while it runs.
@Suite("recommendations binary")
struct RecommendationsBinaryTests {
    static let start: Int64 = 1_700_000_000_000

    /// Items 1–6 are in category 1, 7–9 in category 2.
    static let catalog = (1...9).map { "{\"item\":\($0),\"category\":\($0 <= 6 ? 1 : 2)}" }

    /// User 1 views 1, 2, 3 in one session; user 2 then views 1; a minute later user 3 views 7
    /// and user 1 buys 9 (still the same session).
    static let events = [
        (1, 1, "view", 0), (1, 2, "view", 1_000), (1, 3, "view", 2_000), (2, 1, "view", 3_000),
        (3, 7, "view", 61_000), (1, 9, "purchase", 62_000),
    ].map { user, item, type, offset in "{\"user\":\(user),\"item\":\(item),\"type\":\"\(type)\",\"ts\":\(start + Int64(offset))}" }

    /// Worked out by hand:
    /// - user 1's lists stay empty: their items' only neighbours are items they saw, and no
    ///   trending window has closed before their purchase (then all trending items are seen);
    /// - user 2, after viewing 1: its session neighbours 3 and 2 (3 more recent, so stronger);
    ///   no trending window has closed yet to fill up from;
    /// - user 3, after viewing 7 a minute later: 7 has no neighbours, category 2 nothing trending,
    ///   so the overall trending items of the window that closed: 1 (two views), then 2, 3.
    static let expected = [
        "{\"user\":2,\"ts\":\(start + 3_000),\"items\":[3,2]}",
        "{\"user\":3,\"ts\":\(start + 61_000),\"items\":[1,2,3]}",
    ]

    @Test("a small stream gives the lists worked out by hand, at every parallelism", arguments: [1, 2])
    func fixedInput(parallelism: Int) async throws {
        let scratch = try TestEnvironment.scratch("recommendations-fixed")
        defer { scratch.remove() }
        let events = scratch.file("events.jsonl"), items = scratch.file("items.jsonl"), output = scratch.file("out.jsonl")
        try (Self.events.joined(separator: "\n") + "\n").write(toFile: events, atomically: false, encoding: .utf8)
        try (Self.catalog.joined(separator: "\n") + "\n").write(toFile: items, atomically: false, encoding: .utf8)
        let outcome = try await run(TestEnvironment.recommendations,
                                    ["--input", "events=\(events)", "--input", "items=\(items)", "--output", "out=\(output)",
                                     "--parallelism", "\(parallelism)", "--quiet"])
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == Self.expected)
    }

    @Test("an unknown interaction type is a bad record with its reason, not a crash")
    func unknownType() async throws {
        let scratch = try TestEnvironment.scratch("recommendations-bad")
        defer { scratch.remove() }
        let events = scratch.file("events.jsonl"), output = scratch.file("out.jsonl")
        let lines = Self.events.prefix(2) + ["{\"user\":1,\"item\":4,\"type\":\"wishlist\",\"ts\":\(Self.start + 1_500)}"] + Self.events.dropFirst(2)
        try (lines.joined(separator: "\n") + "\n").write(toFile: events, atomically: false, encoding: .utf8)
        let failed = try await run(TestEnvironment.recommendations, ["--input", events, "--output", output, "--quiet"])
        #expect(failed.exitCode == 1)
        #expect(failed.stderr.contains("events.jsonl:3") && failed.stderr.contains("unknown interaction type \"wishlist\""), "\(failed.stderr)")
        let skipped = try await run(TestEnvironment.recommendations, ["--input", events, "--output", output, "--quiet", "--on-bad-record", "skip"])
        #expect(skipped.exitCode == 0, "\(skipped.summary)")
        #expect(skipped.stderr.contains("1 bad records skipped"), "\(skipped.stderr)")
    }

    @Test("while the pipeline runs, its HTTP endpoints answer from its state, and bad requests get 4xx")
    func serving() async throws {
        let child = try ChildProcess(TestEnvironment.recommendations,
                                     ["--input", "events=tcp-listen://127.0.0.1:0", "--follow", "--output", "out=-",
                                      "--serve", "127.0.0.1:0", "--max-out-of-orderness", "1ms"])
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }
        let servePort = try await onThread { try child.port(after: "serving http://127.0.0.1:") }
        let producer = try await onThread { () throws -> LoopbackConnection in
            let connection = try LoopbackConnection.connect(port: port)
            try connection.writeAll(Array((Self.events.joined(separator: "\n") + "\n").utf8))
            return connection
        }
        defer { producer.close() }
        // The lists are published before they are written, so once both lines are out, both are served.
        try await onThread { try child.waitForStdout(lines: 2) }

        let answers = try await onThread { () throws -> [(Int, String)] in
            try ["GET /users/2/recommendations", "GET /users/3/recommendations", "GET /trending", "GET /trending?category=1",
                 "GET /users/abc/recommendations", "GET /users/99/recommendations", "GET /trending?category=x",
                 "GET /elsewhere", "POST /trending"].map { try httpRequest(port: servePort, $0) }
        }
        #expect(answers[0].0 == 200 && answers[0].1.contains("\"items\":[3,2]"), "\(answers[0])")
        #expect(answers[1].0 == 200 && answers[1].1.contains("\"items\":[1,2,3]"), "\(answers[1])")
        #expect(answers[2].0 == 200 && answers[2].1.contains("\"items\":[1,2,3]"), "\(answers[2])")
        // Without a catalog every item is in the unknown category, -1.
        #expect(answers[3].0 == 404 && answers[3].1.contains("no trending items for category 1"), "\(answers[3])")
        #expect(answers[4].0 == 400 && answers[4].1.contains("not an integer"), "\(answers[4])")
        #expect(answers[5].0 == 404, "\(answers[5])")
        #expect(answers[6].0 == 400, "\(answers[6])")
        #expect(answers[7].0 == 404 && answers[7].1.contains("unknown path"), "\(answers[7])")
        #expect(answers[8].0 == 405, "\(answers[8])")

        child.send(SIGTERM)
        let outcome = await child.exit()
        #expect(outcome.exitCode == 0, "\(outcome.summary)")
    }
}
