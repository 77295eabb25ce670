import Testing
import SluiceConnectors

@Suite("FileInput: header lines")
struct FileInputHeaderTests {
    @Test("every instance gets the header once; data lines are read once each, numbered from 2",
          arguments: ["id,name\n", "id,name\r\n"], 1...5)
    func headerPerInstance(header: String, instances: Int) throws {
        let directory = try TemporaryDirectory()
        let rows = (1...30).map { "\($0),name\($0)" }
        let content = header + rows.joined(separator: "\n") + "\n"
        let path = try directory.write("table.csv", content)
        let shares = try readAllShares(of: [path], instances: instances, expectsHeader: true)
        for (instance, share) in shares.enumerated() {
            let headers = share.filter { $0.kind == "header" }
            #expect(headers.map(\.text) == ["id,name"], "instance \(instance)")
            #expect(share.first?.kind == "header", "instance \(instance): the header comes first")
        }
        let records = inFileOrder(shares.flatMap { $0 }.filter { $0.kind != "header" }, files: [path])
        #expect(records.map(\.text) == rows)
        #expect(records.map(\.line) == Array(2...31))
        #expect(Set(records.map(\.kind)) == ["record"])
    }

    @Test("each file of a directory has its own header", arguments: 1...3)
    func headerPerFile(instances: Int) throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a.csv", "h\n1\n2\n")
        let b = try directory.write("b.csv", "h\n3\n4\n5\n")
        let shares = try readAllShares(of: [a, b], instances: instances, expectsHeader: true)
        let all = shares.flatMap { $0 }
        let records = inFileOrder(all.filter { $0.kind != "header" }, files: [a, b])
        #expect(records.map(\.text) == ["1", "2", "3", "4", "5"])
        #expect(records.map(\.line) == [2, 3, 2, 3, 4])
        // Whatever part of a file an instance reads, that file's header comes before it.
        for share in shares {
            var header: String?
            for line in share {
                if line.kind == "header" { header = line.file } else { #expect(line.file == header) }
            }
        }
    }

    @Test("a file with only a header, with or without its newline, has no records",
          arguments: ["h1,h2\n", "h1,h2"], 1...3)
    func headerOnly(content: String, instances: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("header.csv", content)
        let shares = try readAllShares(of: [path], instances: instances, expectsHeader: true)
        #expect(shares.flatMap { $0 }.filter { $0.kind != "header" }.isEmpty)
        #expect(shares[0].map(\.text) == ["h1,h2"])
    }

    @Test("an empty file with an expected header delivers nothing")
    func emptyWithHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("empty.csv", "")
        #expect(try readAllShares(of: [path], instances: 2, expectsHeader: true).flatMap { $0 }.isEmpty)
    }

    @Test("the header is reported at line 1 of its own file (for a bad-header message)")
    func headerLineNumber() throws {
        let directory = try TemporaryDirectory()
        let a = try directory.write("a.csv", "h\n1\n2\n3\n")
        let b = try directory.write("b.csv", "h\n4\n")
        let all = try readShare(of: [a, b], instance: 0, of: 1, expectsHeader: true)
        let headers = all.filter { $0.kind == "header" }
        #expect(headers == [
            DeliveredLine(file: a, line: 1, text: "h", kind: "header"),
            DeliveredLine(file: b, line: 1, text: "h", kind: "header"),
        ])
    }
}
