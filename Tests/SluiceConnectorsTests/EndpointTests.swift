import Testing
import SluiceConnectors
import SluiceCore

@Suite("Input and output endpoints")
struct EndpointTests {
    @Test("input URIs", arguments: [
        ("-", InputEndpoint.stdin),
        ("events.jsonl", .files(path: "events.jsonl")),
        ("/data/in/", .files(path: "/data/in/")),
        ("relative/dir", .files(path: "relative/dir")),
        ("tcp://example.com:9000", .connect(SocketAddress(host: "example.com", port: 9000))),
        ("tcp://127.0.0.1:0", .connect(SocketAddress(host: "127.0.0.1", port: 0))),
        ("tcp://:7000", .connect(SocketAddress(host: "127.0.0.1", port: 7000))),
        ("tcp-listen://0.0.0.0:7001", .listen(SocketAddress(host: "0.0.0.0", port: 7001), producers: nil)),
        ("tcp-listen://localhost:7002?producers=3", .listen(SocketAddress(host: "localhost", port: 7002), producers: 3)),
        ("tcp-listen://:7003", .listen(SocketAddress(host: "127.0.0.1", port: 7003), producers: nil)),
    ])
    func parsesInput(uri: String, expected: InputEndpoint) throws {
        #expect(try InputEndpoint.parse(uri) == expected)
    }

    @Test("bad input URIs are usage errors", arguments: [
        "tcp://example.com", "tcp://example.com:", "tcp://example.com:http", "tcp://example.com:65536",
        "tcp://example.com:-1", "tcp-listen://h:7000?producers=0", "tcp-listen://h:7000?producers=x",
        "tcp-listen://h:7000?threads=2", "tcp-listen://h", "http://example.com/data", "s3://bucket/key",
    ])
    func rejectsInput(uri: String) {
        #expect(throws: UsageError.self) { try InputEndpoint.parse(uri) }
    }

    @Test("output URIs")
    func parsesOutput() throws {
        let directory = try TemporaryDirectory()
        #expect(try OutputEndpoint.parse("-") == .stdout)
        #expect(try OutputEndpoint.parse("tcp://sink.local:9100") == .connect(SocketAddress(host: "sink.local", port: 9100)))
        #expect(try OutputEndpoint.parse(directory.path + "/out.jsonl") == .file(path: directory.path + "/out.jsonl"))
        #expect(try OutputEndpoint.parse(directory.path + "/parts/") == .directory(path: directory.path + "/parts/"))
        // An existing directory is a directory output even without the slash.
        #expect(try OutputEndpoint.parse(directory.path) == .directory(path: directory.path))
    }

    @Test("bad output URIs are usage errors", arguments: ["tcp://host", "tcp://host:70000", "udp://host:1", "tcp-listen://:9000"])
    func rejectsOutput(uri: String) {
        #expect(throws: UsageError.self) { try OutputEndpoint.parse(uri) }
    }

    @Test("a file endpoint lists itself; a directory its regular files in name order")
    func listFiles() throws {
        let directory = try TemporaryDirectory()
        let b = try directory.write("b.jsonl", "2\n")
        let a = try directory.write("a.jsonl", "1\n")
        let c = try directory.write("c.txt", "")
        try directory.write(".hidden", "x\n")
        let sub = try directory.makeDirectory("sub")
        try directory.write("sub/d.jsonl", "4\n")
        #expect(try InputEndpoint.files(path: a).listFiles() == [a])
        #expect(try InputEndpoint.files(path: directory.path).listFiles() == [a, b, c])
        #expect(try InputEndpoint.files(path: directory.path + "/").listFiles() == [a, b, c])
        #expect(try InputEndpoint.files(path: sub).listFiles() == [sub + "/d.jsonl"])
        #expect(try InputEndpoint.stdin.listFiles() == [])
    }

    @Test("listing a missing path is an error naming it")
    func listMissing() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/nope.jsonl"
        let error = #expect(throws: PipelineError.self) { try InputEndpoint.files(path: missing).listFiles() }
        #expect(error?.message.contains(missing) == true)
    }
}
