import FoundationEssentials
import SluiceCore
import SluiceFormats
import Testing

private struct Bid: Codable, Equatable {
    var auction: Int64
    var bidder: Int64
    var price: Int64
    var channel: String
    var url: String
    var dateTime: Int64
    var extra: String
}

private enum Channel: String, Codable { case apple = "Apple" }

@Suite struct JSONRecordEncoderTests {
    @Test func writesCompactObjectsInEncodeOrder() throws {
        let bid = Bid(auction: 1000, bidder: 1001, price: 5093, channel: "Apple",
                      url: "https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1", dateTime: 1_735_689_600_000, extra: "qwe")
        #expect(try encodeJSON(bid) == #"{"auction":1000,"bidder":1001,"price":5093,"channel":"Apple","url":"https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1","dateTime":1735689600000,"extra":"qwe"}"# + "\n")
    }

    @Test func appendsToTheBufferAndRoundTrips() throws {
        var encoder = JSONRecordEncoder<Bid>()
        var decoder = JSONRecordDecoder<Bid>()
        var out = Array("previous\n".utf8)
        let bids = (0..<3).map { Bid(auction: Int64($0), bidder: -1, price: .max, channel: "c\($0)", url: "", dateTime: .min, extra: "é\"\\\n😀") }
        for bid in bids { try encoder.encode(bid, into: &out) }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4 && lines[0] == "previous")
        for (line, bid) in zip(lines.dropFirst(), bids) {
            #expect(try decodeJSON(with: &decoder, String(line)) == bid)
        }
    }

    @Test func escapesOnlyWhatJSONRequires() throws {
        struct S: Codable { var s: String }
        #expect(try encodeJSON(S(s: "a\"b\\c/d\u{8}\u{C}\n\r\t\u{0}\u{1F}é中😀\u{2028}")) == "{\"s\":\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0000\\u001fé中😀\u{2028}\"}\n")
        #expect(try encodeJSON(S(s: String(repeating: "long string without escapes ", count: 3) + "\"")) == "{\"s\":\"long string without escapes long string without escapes long string without escapes \\\"\"}\n")
    }

    @Test func writesNumbersThatReadBackExactly() throws {
        struct N: Codable, Equatable {
            var d: [Double]
            var f: Float
            var i8: Int8
            var u64: UInt64
            var b: Bool
        }
        let n = N(d: [1.0, 0.1, -0.0, 1e20, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 123.456], f: 0.1, i8: -128, u64: .max, b: false)
        let text = try encodeJSON(n)
        #expect(text == #"{"d":[1,0.1,-0,1e+20,5e-324,1.7976931348623157e+308,123.456],"f":0.1,"i8":-128,"u64":18446744073709551615,"b":false}"# + "\n")
        let back = try decodeJSON(N.self, String(text.dropLast()))
        #expect(back.d.map(\.bitPattern) == n.d.map(\.bitPattern) && back == n)
    }

    @Test func writesOptionalsNestedValuesAndSingleValueTypes() throws {
        struct Inner: Codable, Equatable { var a: Int; var tags: [String] }
        struct Outer: Codable, Equatable {
            var name: String?
            var missing: Int?
            var inner: Inner
            var list: [[Int]]
            var channel: Channel
            var at: Date
            var empty: [String: Int]
        }
        let outer = Outer(name: nil, missing: 3, inner: Inner(a: 1, tags: ["x", "y"]), list: [[1, 2], [], [3]],
                          channel: .apple, at: Date(timeIntervalSinceReferenceDate: 2.5), empty: [:])
        let text = try encodeJSON(outer)
        #expect(text == #"{"missing":3,"inner":{"a":1,"tags":["x","y"]},"list":[[1,2],[],[3]],"channel":"Apple","at":2.5,"empty":{}}"# + "\n")
        #expect(try decodeJSON(Outer.self, String(text.dropLast())) == outer)
    }

    @Test func writesFoundationSpecialTypesAsJSONEncoderDoes() throws {
        struct S: Codable, Equatable { var link: URL; var blob: Data; var amount: Decimal }
        let s = S(link: URL(string: "https://example.com/a?b=c")!, blob: Data([1, 2, 3]), amount: Decimal(string: "12.25")!)
        let text = try encodeJSON(s)
        #expect(text == #"{"link":"https://example.com/a?b=c","blob":"AQID","amount":12.25}"# + "\n")
        #expect(try decodeJSON(S.self, String(text.dropLast())) == s)
    }

    @Test func rejectsNonFiniteNumbersAndLeavesTheBufferAsItWas() {
        struct P: Codable { var name: String; var price: Double }
        struct Q: Codable { var values: [Float] }
        #expect(jsonEncodeError(P(name: "a", price: .nan)) == #"field "price": cannot encode nan in JSON"#)
        #expect(jsonEncodeError(P(name: "a", price: -.infinity)) == #"field "price": cannot encode -inf in JSON"#)
        #expect(jsonEncodeError(Q(values: [1, .infinity])) == #"field "values[1]": cannot encode inf in JSON"#)
        var encoder = JSONRecordEncoder<P>()
        var out = Array("kept\n".utf8)
        #expect(throws: RecordEncodingError.self) { try encoder.encode(P(name: "a", price: .nan), into: &out) }
        #expect(out == Array("kept\n".utf8))
    }

    @Test func customEncodersThatRevisitContainersStillProduceTheRightObject() throws {
        /// Writes into its first nested container after writing a sibling: cannot be streamed,
        /// so Foundation encodes it.
        struct Revisit: Encodable {
            enum Keys: String, CodingKey { case a, b, x }
            func encode(to encoder: any Encoder) throws {
                var top = encoder.container(keyedBy: Keys.self)
                var nested = top.nestedContainer(keyedBy: Keys.self, forKey: .a)
                try top.encode(2, forKey: .b)
                try nested.encode(1, forKey: .x)
            }
        }
        struct Shape: Decodable, Equatable { struct A: Decodable, Equatable { var x: Int }; var a: A; var b: Int }
        let text = try encodeJSON(Revisit())
        #expect(try decodeJSON(Shape.self, String(text.dropLast())) == Shape(a: .init(x: 1), b: 2))
    }
}
