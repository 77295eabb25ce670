import Testing
import SluiceConnectors
import SluiceCore

/// A file's content, named for test output.
struct FileCase: Sendable, CustomTestStringConvertible {
    var name: String
    var content: [UInt8]
    var testDescription: String { name }

    init(_ name: String, _ content: String) {
        self.name = name
        self.content = Array(content.utf8)
    }

    static let all: [FileCase] = {
        let ten = (1...10).map { "line \($0)" }
        var seed: UInt64 = 12345
        let varied = (0..<200).map { n -> String in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return "\(n):" + String(repeating: "v", count: Int(seed >> 58))
        }
        return [
            FileCase("ten lines", ten.joined(separator: "\n") + "\n"),
            FileCase("no final newline", ten.joined(separator: "\n")),
            FileCase("empty file", ""),
            FileCase("one unterminated line", "x"),
            FileCase("one line", "only\n"),
            FileCase("blank lines", "\n\n\na\n\n"),
            FileCase("only newlines", "\n\n\n\n\n\n\n"),
            FileCase("lines longer than a range", ["a", String(repeating: "b", count: 300), "c",
                                                    String(repeating: "d", count: 150), "e"].joined(separator: "\n") + "\n"),
            FileCase("long unterminated last line", "a\nb\n" + String(repeating: "z", count: 400)),
            FileCase("CRLF", "one\r\ntwo\r\n\r\nfour\r\n"),
            FileCase("CRLF without final newline", "one\r\ntwo\r\nthree"),
            FileCase("200 varied lines", varied.joined(separator: "\n") + "\n"),
        ]
    }()
}

@Suite("FileInput: splitting files over instances")
struct FileInputSplitTests {
    @Test("segments are dealt in the order of the files, then by offset, whatever order they come in")
    func dealingOrder() {
        let segments = [FileSegment(path: "z", start: 10, end: 20, startsAtLine: false),
                        FileSegment(path: "a", start: 0, end: 10, startsAtLine: true),
                        FileSegment(path: "z", start: 0, end: 10, startsAtLine: true)]
        let shares = SegmentDistribution.distribute(segments, over: 2, files: ["z", "a"], stripeBytes: 10)
        #expect(shares.map { $0.map { "\($0.path)@\($0.start)" } } == [["z@0", "a@0"], ["z@10"]])
    }

    @Test("files cut in many small stripes: every line exactly once, with its true line number, stripes dealt in turn",
          arguments: FileCase.all, [Int64(1), 7, 64])
    func stripes(file: FileCase, stripeBytes: Int64) throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("first.txt", bytes: file.content)
        let second = try directory.write("second.txt", bytes: Array("x\ny\n".utf8))
        let sizes = [Int64(file.content.count), 4]
        let whole = [first, second].enumerated().map { FileSegment(path: $1, start: 0, end: sizes[$0], startsAtLine: true) }
        for instances in 1...3 {
            let shares = SegmentDistribution.distribute(whole, over: instances, stripeBytes: stripeBytes)
            let read = try shares.flatMap { try readSegments($0) }
            let expected = expectedLines(of: file.content, file: first) + expectedLines(of: Array("x\ny\n".utf8), file: second)
            #expect(inFileOrder(read, files: [first, second]) == expected)
            // In input order, stripe k belongs to instance k % instances.
            let dealt = shares.enumerated().flatMap { instance, share in share.map { (instance, $0) } }
                .sorted { ($0.1.path == first ? 0 : 1, $0.1.start) < ($1.1.path == first ? 0 : 1, $1.1.start) }
            #expect(dealt.enumerated().allSatisfy { $0.element.0 == $0.offset % instances })
        }
    }

    @Test("all instances together read every line exactly once, with its true line number",
          arguments: FileCase.all, 1...5)
    func everyLineOnce(file: FileCase, instances: Int) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("input.txt", bytes: file.content)
        let shares = try readAllShares(of: [path], instances: instances)
        let expected = expectedLines(of: file.content, file: path)
        #expect(inFileOrder(shares.flatMap { $0 }, files: [path]) == expected)
        // Each instance reads its lines in file order.
        for (instance, share) in shares.enumerated() {
            #expect(share.map(\.line) == share.map(\.line).sorted(), "instance \(instance)")
        }
    }

    @Test("a larger file: every instance gets a share, and the shares are contiguous", arguments: [2, 3, 5])
    func sharesAreContiguous(instances: Int) throws {
        let directory = try TemporaryDirectory()
        let content = Array((1...3000).map { "record number \($0)" }.joined(separator: "\n").utf8) + [10]
        let path = try directory.write("big.txt", bytes: content)
        let shares = try readAllShares(of: [path], instances: instances)
        var next = 1
        for (instance, share) in shares.enumerated() {
            #expect(!share.isEmpty, "instance \(instance) read nothing")
            #expect(share.first?.line == next, "instance \(instance) starts at \(share.first?.line ?? -1), expected \(next)")
            #expect(share.map(\.line) == Array(next..<(next + share.count)), "instance \(instance)")
            next += share.count
        }
        #expect(next == 3001)
    }

    @Test("a directory of several files: every line of every file exactly once", arguments: 1...5)
    func directoryOfFiles(instances: Int) throws {
        let directory = try TemporaryDirectory()
        let contents: [(String, String)] = [
            ("a.txt", "a1\na2\na3\n"),
            ("b.txt", ""),
            ("c.txt", (1...25).map { "c\($0)" }.joined(separator: "\n")),
            ("d.txt", "d1\r\n" + String(repeating: "D", count: 90) + "\r\nd3\r\n"),
        ]
        for (name, content) in contents { try directory.write(name, content) }
        try directory.write(".ignored", "nope\n")
        let files = try InputEndpoint.files(path: directory.path).listFiles()
        #expect(files.map { String($0.split(separator: "/").last!) } == ["a.txt", "b.txt", "c.txt", "d.txt"])
        let expected = zip(files, contents).flatMap { path, named in expectedLines(of: Array(named.1.utf8), file: path) }
        let shares = try readAllShares(of: files, instances: instances)
        #expect(inFileOrder(shares.flatMap { $0 }, files: files) == expected)
    }

    @Test("over-long lines are delivered once, as too long, at their line number", arguments: 1...5)
    func overLongLines(instances: Int) throws {
        let directory = try TemporaryDirectory()
        let long = String(repeating: "x", count: 50)
        let path = try directory.write("long.txt", "ok\n\(long)\nfine\n\(long)")
        let all = inFileOrder(try readAllShares(of: [path], instances: instances, maxLineBytes: 10).flatMap { $0 }, files: [path])
        #expect(all.map(\.line) == [1, 2, 3, 4])
        #expect(all.map(\.kind) == ["record", "tooLong", "record", "tooLong"])
        #expect(all[0].text == "ok")
        #expect(all[2].text == "fine")
    }

    @Test("a file that is not there is an error naming it")
    func missingFile() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/gone.txt"
        let error = #expect(throws: PipelineError.self) { _ = try readShare(of: [missing], instance: 0, of: 1) }
        #expect(error?.message.contains(missing) == true)
    }
}

