@testable import SluiceCLI
import Testing

@Suite("HTTP request lines")
struct HTTPRequestLineTests {
    @Test("method, path and query are split and percent-decoded")
    func parses() throws {
        let request = try #require(HTTPServer.parse("GET /trending?category=3&name=a%20b+c&flag HTTP/1.1"))
        #expect(request.method == "GET")
        #expect(request.path == "/trending")
        #expect(request.query == ["category": "3", "name": "a b c", "flag": ""])
        #expect(HTTPServer.parse("GET /users/%34%32/recommendations HTTP/1.0")?.path == "/users/42/recommendations")
    }

    @Test("what is not a request line is refused, not guessed at", arguments: [
        "", "GET", "GET /x", "GET x HTTP/1.1", "GET /x FTP/1", "GET /x?y=%zz HTTP/1.1", "GET /%ff HTTP/1.1",
    ])
    func refuses(line: String) {
        #expect(HTTPServer.parse(Substring(line)) == nil)
    }
}
