import Testing
import Sluice

/// A catalog row: the table side of the stream–table join tests.
struct CatalogRow: Codable, Sendable, Hashable {
    var item: Int
    var category: String
}

@Suite("Tables loaded at start")
struct TableJoinTests {
    @Test("each record meets its key's last row from the file; unmatched ones are kept by a left outer join",
          arguments: [1, 2, 4])
    func joinsWithLoadedTable(parallelism: Int) throws {
        let directory = try TemporaryDirectory()
        let catalog = try directory.write("catalog.jsonl", """
            {"item":1,"category":"books"}
            {"item":2,"category":"games"}
            {"item":1,"category":"music"}

            """)
        let clicks = (0..<300).map { Click(user: $0 % 4, page: $0, time: 0) }
        let results = CollectedRecords<String>()
        var options = RunOptions(parallelism: parallelism)
        options.inputs = ["catalog": catalog]
        try Pipeline { p in
            let table = p.table("catalog", format: .jsonLines(CatalogRow.self), key: \.item)
            p.source(elements: clicks).keyed(by: \.user)
                .joinTable(table, kind: .leftOuter, id: "categories") { click, row in "\(click.page):\(row?.category ?? "-")" }
                .collect(into: results)
        }.run(options)
        let expected = clicks.map { click in "\(click.page):\([1: "music", 2: "games"][click.user] ?? "-")" }
        #expect(results.records.sorted() == expected.sorted())
    }

    @Test("a table bound to a socket is a usage error")
    func tableNeedsAFile() {
        var options = RunOptions(parallelism: 1)
        options.inputs = ["catalog": "tcp://127.0.0.1:9"]
        #expect(throws: UsageError.self) {
            try Pipeline { p in
                let table = p.table("catalog", format: .jsonLines(CatalogRow.self), key: \.item)
                p.source(elements: [Click(user: 1, page: 1, time: 0)]).keyed(by: \.user)
                    .joinTable(table, id: "j") { click, row in row?.category }
                    .collect(into: CollectedRecords<String>())
            }.run(options)
        }
    }
}
