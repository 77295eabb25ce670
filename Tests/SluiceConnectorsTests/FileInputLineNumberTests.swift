import Testing
import SluiceConnectors

@Suite("FileInput: line numbers")
struct FileInputLineNumberTests {
    @Test("an instance whose range starts inside a line longer than the read buffer still numbers lines truly")
    func rangeStartsInsideHugeLine() throws {
        let directory = try TemporaryDirectory()
        // Line 2 is 3 MiB: the second instance's range starts in its middle, and the read
        // buffer (about 1 MiB) does not reach its end in one read.
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 3 << 20)
        let content = Array("a\n".utf8) + huge + Array("\nb\nc\n".utf8)
        let path = try directory.write("huge.txt", bytes: content)
        let shares = try readAllShares(of: [path], instances: 2, maxLineBytes: 100)
        #expect(shares[0].map(\.line) == [1, 2])
        #expect(shares[0].map(\.kind) == ["record", "tooLong"])
        #expect(shares[1].map(\.text) == ["b", "c"])
        #expect(shares[1].map(\.line) == [3, 4])
    }

    @Test("line numbers restart in each file of a list, at every parallelism", arguments: 1...4)
    func lateLinesOfSecondFile(instances: Int) throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("1.txt", (1...40).map { "first \($0)" }.joined(separator: "\n") + "\n")
        let second = try directory.write("2.txt", (1...60).map { "second \($0)" }.joined(separator: "\n") + "\n")
        let all = try readAllShares(of: [first, second], instances: instances).flatMap { $0 }
        for line in all {
            let number = Int(line.text.split(separator: " ").last!)!
            #expect(line.line == number, "\(line)")
            #expect(line.file == (line.text.hasPrefix("first") ? first : second), "\(line)")
        }
        #expect(all.count == 100)
    }
}
