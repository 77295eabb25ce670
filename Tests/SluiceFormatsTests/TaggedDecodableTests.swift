import FoundationEssentials
import SluiceCore
import SluiceFormats
import Testing

/// `TaggedDecodable` records decode in one pass; every line must give what `init(from:)` gives
/// through Foundation, values and error messages alike.
@Suite struct TaggedDecodableTests {
    struct Click: Codable, Equatable, PlainDecodable {
        var user: Int64
        var item: String
        var weight: Double?
    }

    /// Not plain (a custom `init(from:)`): decoded through its containers from the same scan.
    struct View: Codable, Equatable {
        var user: Int64
        var seconds: Int

        init(user: Int64, seconds: Int) { (self.user, self.seconds) = (user, seconds) }

        private enum CodingKeys: String, CodingKey { case user, seconds }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            user = try c.decode(Int64.self, forKey: .user)
            seconds = try c.decode(Int.self, forKey: .seconds)
            guard seconds >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .seconds, in: c, debugDescription: "negative duration")
            }
        }
    }

    enum Interaction: Decodable, Equatable, TaggedDecodable {
        case click(Click)
        case view(View)

        static let tagKey = "kind"

        static func decode(tag: String, payload: inout TaggedPayloadDecoder) throws -> Interaction {
            switch tag {
            case "click": .click(try payload.decode(Click.self))
            case "view": .view(try payload.decode(View.self))
            default: throw payload.unknownTag()
            }
        }

        private enum TagKey: String, CodingKey { case kind }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: TagKey.self)
            switch try c.decode(String.self, forKey: .kind) {
            case "click": self = .click(try Click(from: decoder))
            case "view": self = .view(try View(from: decoder))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown kind \"\(other)\"")
            }
        }
    }

    static let lines = [
        #"{"kind":"click","user":1,"item":"a","weight":0.5}"#,
        #"{"user":2,"item":"b\"q","kind":"click"}"#,
        #"{"kind":"view","user":3,"seconds":40,"extra":[1,{"x":null}]}"#,
        #"{"kind":"click","user":4,"item":"é中","weight":null}"#,
        // Numbers Foundation reads its own way go through Foundation.
        #"{"kind":"view","user":5.0,"seconds":1e1}"#,
        // Errors: an unknown tag, a tag that is no string, no tag, a missing or mistyped payload
        // field, a payload's own check, duplicate tags (the first counts, as in Foundation).
        #"{"kind":"scroll","user":6}"#,
        #"{"kind":7,"user":6}"#,
        #"{"user":6,"item":"c"}"#,
        #"{"kind":"click","user":6}"#,
        #"{"kind":"click","user":"6","item":"c"}"#,
        #"{"kind":"view","user":6,"seconds":-1}"#,
        #"{"kind":"view","kind":"click","user":8,"seconds":2,"item":"d"}"#,
    ]

    @Test("lines decode as through init(from:) and Foundation, values and errors", arguments: lines)
    func matchesFoundation(line: String) {
        let ours = Result { () throws(RecordDecodingError) in try decodeJSON(Interaction.self, line) }
        let foundation = Result { try JSONDecoder().decode(Interaction.self, from: Data(line.utf8)) }
        switch (ours, foundation) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let error), .failure): #expect(!error.reason.isEmpty)
        default: Issue.record("ours: \(ours), Foundation: \(foundation)")
        }
    }

    @Test("one decoder decodes mixed lines in any order, keeping its tables")
    func reusedDecoder() throws {
        var decoder = JSONRecordDecoder<Interaction>()
        for _ in 0..<3 {
            #expect(try decodeJSON(with: &decoder, Self.lines[2]) == .view(View(user: 3, seconds: 40)))
            #expect(try decodeJSON(with: &decoder, Self.lines[0]) == .click(Click(user: 1, item: "a", weight: 0.5)))
            #expect(jsonError(Interaction.self, Self.lines[8]) == #"missing field "item""#)
            #expect(try decodeJSON(with: &decoder, Self.lines[1]) == .click(Click(user: 2, item: "b\"q", weight: nil)))
        }
    }

    /// Indirect: a pointer, smaller than its payload, which the decoder assembles in the same
    /// scratch storage as the record.
    indirect enum Boxed: Decodable, Equatable, TaggedDecodable {
        case wide(Wide)

        struct Wide: Codable, Equatable, PlainDecodable {
            var a: Int64, b: Int64, c: Int64, d: Int64, e: String, f: String
        }

        static let tagKey = "kind"

        static func decode(tag: String, payload: inout TaggedPayloadDecoder) throws -> Boxed {
            guard tag == "wide" else { throw payload.unknownTag() }
            return .wide(try payload.decode(Wide.self))
        }

        init(from decoder: any Decoder) throws { self = .wide(try Wide(from: decoder)) }
    }

    @Test("a payload larger than its record (an indirect case) decodes intact")
    func indirectCase() throws {
        var decoder = JSONRecordDecoder<Boxed>()
        for n in Int64(0)..<3 {
            let line = #"{"kind":"wide","a":\#(n),"b":2,"c":3,"d":4,"e":"a string longer than fifteen bytes","f":"f"}"#
            #expect(try decodeJSON(with: &decoder, line)
                    == .wide(Boxed.Wide(a: n, b: 2, c: 3, d: 4, e: "a string longer than fifteen bytes", f: "f")))
        }
    }

    @Test("errors name the problem as init(from:) words it")
    func errorText() {
        #expect(jsonError(Interaction.self, Self.lines[5])?.contains(#"unknown kind "scroll""#) == true)
        #expect(jsonError(Interaction.self, Self.lines[10])?.contains("negative duration") == true)
        #expect(jsonError(Interaction.self, Self.lines[9])?.contains(#"field "user""#) == true)
    }
}
