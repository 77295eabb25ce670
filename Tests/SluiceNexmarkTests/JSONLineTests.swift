import Foundation
import Testing
import SluiceCore
import SluiceFormats
import SluiceNexmark

@Suite("Nexmark generator: JSON lines")
struct JSONLineTests {
    static let personKeys = ["type", "id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra"]
    static let auctionKeys = ["type", "id", "itemName", "description", "initialBid", "reserve", "dateTime",
                              "expires", "seller", "category", "extra"]
    static let bidKeys = ["type", "auction", "bidder", "price", "channel", "url", "dateTime", "extra"]

    @Test("every line decodes with JSONDecoder into the right struct, equal to the generated event",
          arguments: [UInt64(0), 2_024])
    func linesDecode(seed: UInt64) throws {
        let g = NexmarkGenerator(seed: seed)
        let lines = TestSupport.lines(g, count: 20_000)
        #expect(lines.count == 20_000)
        let decoder = JSONDecoder()
        for (i, line) in lines.enumerated() {
            let n = Int64(i)
            let expected = g.event(at: n)
            let data = Data(line)
            switch expected {
            case .person(let p):
                #expect(try decoder.decode(Person.self, from: data) == p)
                #expect(TestSupport.keys(ofLine: line) == Self.personKeys)
            case .auction(let a):
                #expect(try decoder.decode(Auction.self, from: data) == a)
                #expect(TestSupport.keys(ofLine: line) == Self.auctionKeys)
            case .bid(let b):
                #expect(try decoder.decode(Bid.self, from: data) == b)
                #expect(TestSupport.keys(ofLine: line) == Self.bidKeys)
            }
            #expect(try decoder.decode(NexmarkEvent.self, from: data) == expected)
        }
    }

    @Test("lines are compact, newline-terminated, ASCII and need no escaping")
    func linesAreCompact() {
        var g = NexmarkGenerator(seed: 4)
        var bytes: [UInt8] = []
        g.appendLines(20_000, into: &bytes)
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.filter { $0 == UInt8(ascii: "\n") }.count == 20_000)
        #expect(!bytes.contains(UInt8(ascii: "\\")), "no escapes")
        #expect(bytes.allSatisfy { $0 == 0x0A || (0x20..<0x7F).contains($0) }, "printable ASCII only")
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            #expect(line.first == UInt8(ascii: "{") && line.last == UInt8(ascii: "}"))
            // 4 quotes per string field, none inside values: no `": ` or `, "` spacing.
            #expect(!line.starts(with: Array(#"{ "#.utf8)))
            #expect(line.count + 1 <= g.maxLineLength)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\": "))
        #expect(!text.contains(", \""))
    }

    @Test("re-encoding keeps the field order: Codable keys, appendJSONLine bytes, JSONEncoder round trip")
    func reencode() throws {
        let g = NexmarkGenerator(seed: 31)
        let lines = TestSupport.lines(g, count: 3_000)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        for line in lines {
            let event = try decoder.decode(NexmarkEvent.self, from: Data(line))
            // Codable writes the keys in the same order as the line.
            let keys: [String]
            switch event {
            case .person(let p): keys = try KeyOrderEncoder.keys(of: p)
            case .auction(let a): keys = try KeyOrderEncoder.keys(of: a)
            case .bid(let b): keys = try KeyOrderEncoder.keys(of: b)
            }
            #expect(keys == TestSupport.keys(ofLine: line))
            #expect(try KeyOrderEncoder.keys(of: event) == keys)
            // The fast writer of the model types reproduces the line byte for byte.
            var rendered: [UInt8] = []
            event.appendJSONLine(into: &rendered)
            #expect(rendered == line + [UInt8(ascii: "\n")])
            // JSONEncoder (which does not keep key order) round-trips the value.
            let again = try decoder.decode(NexmarkEvent.self, from: encoder.encode(event))
            #expect(again == event)
        }
    }

    @Test("decoding accepts other field orders, spaces, escapes and unknown fields")
    func lenientDecoding() throws {
        let text = #"""
        { "extra" : "a\"b\\c\n", "dateTime": 5, "unknown": [1, {"x": null}], "url": "https:\/\/x\u0041",
          "channel": "Apple", "price": 100, "bidder": 1001, "auction": 1000, "type": "bid" }
        """#
        let event = try JSONDecoder().decode(NexmarkEvent.self, from: Data(text.utf8))
        #expect(event == .bid(Bid(auction: 1000, bidder: 1001, price: 100, channel: "Apple",
                                  url: "https://xA", dateTime: 5, extra: "a\"b\\c\n")))
        // Written back in the canonical layout, escaped, and readable again.
        #expect(event.jsonLine == #"{"type":"bid","auction":1000,"bidder":1001,"price":100,"channel":"Apple","url":"https://xA","dateTime":5,"extra":"a\"b\\c\n"}"# + "\n")
        let reread = try JSONDecoder().decode(NexmarkEvent.self, from: Data(event.jsonLine.utf8))
        #expect(reread == event)
    }

    @Test("control characters are escaped by appendJSONLine")
    func controlCharacters() throws {
        let person = Person(id: 1, name: "a\u{1}b\tc", emailAddress: "é@x.com", creditCard: "",
                            city: "\r", state: "\u{8}\u{c}", dateTime: -3, extra: "")
        let line = NexmarkEvent.person(person).jsonLine
        #expect(line.contains(#""name":"a\u0001b\tc""#))
        #expect(line.contains(#""dateTime":-3"#))
        #expect(try JSONDecoder().decode(Person.self, from: Data(line.utf8)) == person)
    }

    @Test("an event whose type does not match its fields is rejected; a payload alone ignores the type",
          arguments: ["person", "auction", "nope"])
    func wrongType(type: String) throws {
        let text = #"{"type":"\#(type)","auction":1,"bidder":2,"price":3,"channel":"c","url":"u","dateTime":4,"extra":""}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NexmarkEvent.self, from: Data(text.utf8)) }
        var decoder = JSONRecordDecoder<NexmarkEvent>()
        #expect(throws: RecordDecodingError.self) { try TestSupport.decode(text, with: &decoder) }
        // The `type` member belongs to NexmarkEvent.
        #expect(try JSONDecoder().decode(Bid.self, from: Data(text.utf8)).price == 3)
    }

    @Test("Sluice's JSON-lines decoder (the one-pass tagged path) gives the generated events", arguments: [UInt64(0), 7])
    func recordDecoder(seed: UInt64) throws {
        let g = NexmarkGenerator(seed: seed)
        var decoder = JSONRecordDecoder<NexmarkEvent>()
        for (i, line) in TestSupport.lines(g, count: 5_000).enumerated() {
            let text = String(decoding: line, as: UTF8.self)
            #expect(try TestSupport.decode(text, with: &decoder) == g.event(at: Int64(i)))
        }
    }

    @Test("the tagged path's errors are those of init(from:)")
    func recordDecoderErrors() {
        var decoder = JSONRecordDecoder<NexmarkEvent>()
        let unknown = #"{"type":"ask","auction":1}"#
        #expect(throws: RecordDecodingError(#"field "type": unknown Nexmark event type "ask""#)) {
            try TestSupport.decode(unknown, with: &decoder)
        }
        let missing = #"{"type":"bid","auction":1,"bidder":2,"price":3,"channel":"c","url":"u","dateTime":4}"#
        #expect(throws: RecordDecodingError(#"missing field "extra""#)) { try TestSupport.decode(missing, with: &decoder) }
    }

    @Test("the example line of nexmark.md decodes")
    func specExample() throws {
        let text = #"{"type":"bid","auction":1000,"bidder":1001,"price":5093,"channel":"Apple","url":"https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1","dateTime":1735689600000,"extra":"qwe"}"#
        let event = try JSONDecoder().decode(NexmarkEvent.self, from: Data(text.utf8))
        #expect(event.jsonLine == text + "\n")
        #expect(event.kind == .bid)
        #expect(event.dateTime == 1_735_689_600_000)
    }
}
