import Testing
import SluiceConnectors

/// One event of a line splitter, copied out of the buffer.
struct SplitEvent: Equatable, CustomStringConvertible {
    var text: String
    var tooLong = false
    /// The stream offset just past the line (nil for the remainder).
    var next: Int64?

    static func line(_ text: String, next: Int64?) -> SplitEvent { SplitEvent(text: text, next: next) }
    static func tooLong(_ prefix: String, next: Int64?) -> SplitEvent { SplitEvent(text: prefix, tooLong: true, next: next) }

    init(text: String, tooLong: Bool = false, next: Int64?) {
        self.text = text
        self.tooLong = tooLong
        self.next = next
    }

    init(_ event: LineEvent, next: Int64?) {
        switch event {
        case .line(let bytes): self.init(text: String(decoding: bytes, as: UTF8.self), next: next)
        case .tooLong(let prefix): self.init(text: String(decoding: prefix, as: UTF8.self), tooLong: true, next: next)
        }
    }

    var description: String { "\(tooLong ? "tooLong" : "line")(\(text.debugDescription), next: \(next.map(String.init) ?? "-"))" }
}

/// Feeds `chunks` to a line buffer, one per `fill`, and returns what it split off, the
/// remainder at the end, and the final position.
func split(_ chunks: [String], maxLineBytes: Int = 1 << 20, startOffset: Int64 = 0) -> (events: [SplitEvent], remainder: SplitEvent?, position: Int64) {
    var buffer = LineBuffer(maxLineBytes: maxLineBytes, startOffset: startOffset)
    var pending = chunks.map { Array($0.utf8) }[...]
    var events: [SplitEvent] = []
    while true {
        let n = buffer.fill { space in
            guard let chunk = pending.popFirst() else { return 0 }
            precondition(!chunk.isEmpty && chunk.count <= space.count)
            space.copyBytes(from: chunk)
            return chunk.count
        }
        _ = buffer.forEachLine { event, next in events.append(SplitEvent(event, next: next)) }
        if n == 0 { break }
    }
    var remainder: SplitEvent?
    buffer.takeRemainder { event in remainder = SplitEvent(event, next: nil) }
    return (events, remainder, buffer.position)
}

@Suite("LineBuffer")
struct LineBufferTests {
    @Test("lines split across reads are put back together")
    func linesAcrossReads() {
        let result = split(["ab", "c\nde", "f\n", "g"])
        #expect(result.events == [.line("abc", next: 4), .line("def", next: 8)])
        #expect(result.remainder == .line("g", next: nil))
        #expect(result.position == 9)
    }

    @Test("one read with many lines, including empty ones")
    func manyLinesOneRead() {
        let result = split(["a\n\nbc\n"])
        #expect(result.events == [.line("a", next: 2), .line("", next: 3), .line("bc", next: 6)])
        #expect(result.remainder == nil)
        #expect(result.position == 6)
    }

    @Test("a newline alone in a read ends the line before it")
    func newlineAloneInRead() {
        let result = split(["abc", "\n", "d", "\n"])
        #expect(result.events == [.line("abc", next: 4), .line("d", next: 6)])
    }

    @Test("CRLF line ends lose their CR; a CR elsewhere is kept")
    func crlf() {
        let result = split(["a\r\nbb\r\n\r\nx\ry\nc\r"])
        #expect(result.events == [.line("a", next: 3), .line("bb", next: 7), .line("", next: 9), .line("x\ry", next: 13)])
        #expect(result.remainder == .line("c", next: nil))
    }

    @Test("CRLF split between two reads")
    func crlfAcrossReads() {
        let result = split(["ab\r", "\ncd\r", "\n"])
        #expect(result.events == [.line("ab", next: 4), .line("cd", next: 8)])
    }

    @Test("a line of exactly maxLineBytes is accepted; one byte more is too long")
    func lineLengthLimit() {
        #expect(split(["abc\n"], maxLineBytes: 3).events == [.line("abc", next: 4)])
        #expect(split(["abc\r\n"], maxLineBytes: 3).events == [.line("abc", next: 5)])
        #expect(split(["abc"], maxLineBytes: 3).remainder == .line("abc", next: nil))
        let over = split(["abcd\nok\n"], maxLineBytes: 3)
        #expect(over.events.map(\.tooLong) == [true, false])
        #expect(over.events.map(\.next) == [5, 8])
        #expect(over.events.last == .line("ok", next: 8))
    }

    @Test("a line of exactly maxLineBytes whose CRLF is split between reads is accepted")
    func lineAtLimitWithCRLFAcrossReads() {
        // "abc\r\n" is a 3-byte line; whether its "\r" and "\n" arrive together must not matter.
        let result = split(["abc\r", "\nok\n"], maxLineBytes: 3)
        #expect(result.events == [.line("abc", next: 5), .line("ok", next: 8)])
    }

    @Test("an over-long line with its newline in the buffer: the prefix is the line's own bytes")
    func overLongLineInBuffer() {
        let result = split(["abcdefgh\nxy\n"], maxLineBytes: 4)
        #expect(result.events.count == 2)
        #expect(result.events.first == .tooLong("abcdefgh", next: 9))
        #expect(result.events.last == .line("xy", next: 12))
    }

    @Test("an over-long line's prefix is cut at rawPrefixBytes")
    func overLongPrefixIsCut() {
        let long = String(repeating: "a", count: 2000)
        let result = split([long + "\nxy\n"], maxLineBytes: 1100)
        #expect(result.events.count == 2)
        #expect(result.events.first == .tooLong(String(repeating: "a", count: LineBuffer.rawPrefixBytes), next: 2001))
        #expect(result.events.last == .line("xy", next: 2004))
    }

    @Test("an over-long line without its newline in the buffer is reported once and skipped to its end")
    func overLongLineAcrossReads() {
        let result = split(["abcdefgh", "ijklmn", "op\nxy\n", "z"], maxLineBytes: 4)
        #expect(result.events == [.tooLong("abcdefgh", next: 8), .line("xy", next: 20)])
        #expect(result.remainder == .line("z", next: nil))
        #expect(result.position == 21)
    }

    @Test("an over-long last line without a newline gives no remainder")
    func overLongAtEnd() {
        let result = split(["ok\nabcdefgh", "ij"], maxLineBytes: 4)
        #expect(result.events == [.line("ok", next: 3), .tooLong("abcdefgh", next: 11)])
        #expect(result.remainder == nil)
    }

    @Test("offsets count from startOffset")
    func startOffset() {
        let result = split(["ab\ncd\ne"], startOffset: 100)
        #expect(result.events == [.line("ab", next: 103), .line("cd", next: 106)])
        #expect(result.remainder == .line("e", next: nil))
        #expect(result.position == 107)
    }

    @Test("forEachLine(before:) stops at the first line that starts at or after the limit")
    func limit() {
        for (limit, expected, position) in [(Int64(4), ["aa", "bb"], Int64(6)), (3, ["aa"], 3), (1, ["aa"], 3), (0, [], 0), (100, ["aa", "bb", "cc"], 9)] {
            var buffer = LineBuffer(maxLineBytes: 100)
            let content = Array("aa\nbb\ncc\n".utf8)
            _ = buffer.fill { space in
                space.copyBytes(from: content)
                return content.count
            }
            var lines: [String] = []
            let more = buffer.forEachLine(before: limit) { event, _ in
                if case .line(let bytes) = event { lines.append(String(decoding: bytes, as: UTF8.self)) }
            }
            #expect(lines == expected, "limit \(limit)")
            #expect(more == (limit > 6), "limit \(limit)")
            let reached = buffer.position
            #expect(reached == position, "limit \(limit)")
        }
    }

    @Test("hasPartialLine says whether an unfinished line is buffered")
    func partialLine() {
        var buffer = LineBuffer(maxLineBytes: 100)
        let partialAtStart = buffer.hasPartialLine
        #expect(!partialAtStart)
        let content = Array("ab\ncd".utf8)
        _ = buffer.fill { space in
            space.copyBytes(from: content)
            return content.count
        }
        _ = buffer.forEachLine { _, _ in }
        let partialBeforeEnd = buffer.hasPartialLine
        #expect(partialBeforeEnd)
        buffer.takeRemainder { _ in }
        let partialAfterEnd = buffer.hasPartialLine
        #expect(!partialAfterEnd)
    }

    @Test("reset drops buffered bytes and restarts the offsets")
    func reset() {
        var buffer = LineBuffer(maxLineBytes: 100)
        let first = Array("abc".utf8)
        _ = buffer.fill { space in
            space.copyBytes(from: first)
            return first.count
        }
        buffer.reset(startOffset: 50)
        let position = buffer.position
        let partial = buffer.hasPartialLine
        #expect(position == 50)
        #expect(!partial)
        let second = Array("x\n".utf8)
        _ = buffer.fill { space in
            space.copyBytes(from: second)
            return second.count
        }
        var events: [SplitEvent] = []
        _ = buffer.forEachLine { event, next in events.append(SplitEvent(event, next: next)) }
        #expect(events == [.line("x", next: 52)])
    }

    @Test("a failed read (-1) adds nothing")
    func failedRead() {
        var buffer = LineBuffer(maxLineBytes: 100)
        let n = buffer.fill { _ in -1 }
        let position = buffer.position
        let partial = buffer.hasPartialLine
        #expect(n == -1)
        #expect(position == 0)
        #expect(!partial)
    }
}
