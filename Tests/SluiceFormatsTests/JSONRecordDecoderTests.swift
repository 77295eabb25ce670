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

private struct EventKind: Codable, Equatable {
    var type: String
    var auction: Int64?
    var price: Int64?
}

private struct Trade: Codable, Equatable {
    var symbol: String
    var price: Int64
    var qty: UInt8?
}

private enum Channel: String, Codable, Equatable {
    case apple = "Apple", google = "Google"
}

private struct Numbers: Codable, Equatable {
    var i: Int
    var i8: Int8
    var i16: Int16
    var i32: Int32
    var i64: Int64
    var u: UInt
    var u8: UInt8
    var u16: UInt16
    var u32: UInt32
    var u64: UInt64
    var f: Float
    var d: Double
    var b: Bool
}

private let bidLine = #"{"type":"bid","auction":1000,"bidder":1001,"price":5093,"channel":"Apple","url":"https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1","dateTime":1735689600000,"extra":"qwertyuiopasdfghjklzxcvbnm qwertyuiopasdf"}"#

private let bid = Bid(auction: 1000, bidder: 1001, price: 5093, channel: "Apple",
                      url: "https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1",
                      dateTime: 1_735_689_600_000, extra: "qwertyuiopasdfghjklzxcvbnm qwertyuiopasdf")

@Suite struct JSONRecordDecoderTests {
    @Test func decodesANexmarkBidSkippingUnknownFields() throws {
        #expect(try decodeJSON(Bid.self, bidLine) == bid)
    }

    @Test func reusesOneDecoderAcrossLinesOfDifferentShapes() throws {
        var decoder = JSONRecordDecoder<EventKind>()
        let lines = [
            bidLine,
            #"{"type":"person","id":1000,"name":"Vicky Smith","dateTime":1735689600000}"#,
            #"{"type":"auction","id":1001,"initialBid":42,"seller":1000}"#,
            #"{"price":7,"type":"bid","auction":3}"#,
        ]
        let kinds = try lines.map { line throws(RecordDecodingError) in try decodeJSON(with: &decoder, line) }
        #expect(kinds == [
            EventKind(type: "bid", auction: 1000, price: 5093),
            EventKind(type: "person", auction: nil, price: nil),
            EventKind(type: "auction", auction: nil, price: nil),
            EventKind(type: "bid", auction: 3, price: 7),
        ])
    }

    @Test func acceptsAnyFieldOrderWhitespaceAndNestedUnknownFields() throws {
        let line = " \t{ \"extra\" : \"qwertyuiopasdfghjklzxcvbnm qwertyuiopasdf\" ,\r\n \"dateTime\":1735689600000, \"meta\": {\"a\": [1, 2.5e3, {\"b\": null}], \"c\": \"}\"}, \"url\":\"https://www.nexmark.com/ab/cde_f/ghi/item.htm?query=1\", \"channel\":\"Apple\",\"price\":5093,\"bidder\":1001, \"flags\": [true, false, null, []], \"auction\":1000 }\r"
        #expect(try decodeJSON(Bid.self, line) == bid)
    }

    @Test func optionalsAreNilWhenAbsentOrNull() throws {
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":1}"#) == Trade(symbol: "A", price: 1, qty: nil))
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":1,"qty":null}"#) == Trade(symbol: "A", price: 1, qty: nil))
        #expect(try decodeJSON(Trade.self, #"{"qty":255,"symbol":"A","price":-1}"#) == Trade(symbol: "A", price: -1, qty: 255))
    }

    @Test func decodesEveryNumberTypeAtItsLimits() throws {
        let line = #"{"i":-9223372036854775808,"i8":-128,"i16":32767,"i32":-2147483648,"i64":9223372036854775807,"u":18446744073709551615,"u8":255,"u16":65535,"u32":4294967295,"u64":18446744073709551615,"f":3.4028235e38,"d":-1.7976931348623157e308,"b":true}"#
        let numbers = try decodeJSON(Numbers.self, line)
        #expect(numbers == Numbers(i: .min, i8: .min, i16: .max, i32: .min, i64: .max, u: .max, u8: .max, u16: .max,
                                   u32: .max, u64: .max, f: .greatestFiniteMagnitude, d: -.greatestFiniteMagnitude, b: true))
        #expect(foundationDecode(Numbers.self, Array(line.utf8)) == numbers)
    }

    @Test(arguments: ["0e4", "0E3", "0e-5", "-0e1", "0.0e5", "1e-400", "1e400", "0.1", "-0", "1e-7", "123456789012345678901234567890", "2.2250738585072014e-308", "4.9e-324",
                      "9007199254740993", "0.30000000000000004", "1E+2", "-0.0e-0"])
    func parsesDoublesExactlyLikeFoundation(_ text: String) throws {
        struct D: Codable, Equatable { var d: Double; var f: Float }
        let line = "{\"d\":\(text),\"f\":\(text)}"
        let ours = try? decodeJSON(D.self, line)
        let theirs = foundationDecode(D.self, Array(line.utf8))
        #expect(ours?.d.bitPattern == theirs?.d.bitPattern)
        #expect(ours?.f.bitPattern == theirs?.f.bitPattern)
        struct OnlyD: Codable { var d: Double }
        #expect((try? decodeJSON(OnlyD.self, "{\"d\":\(text)}"))?.d.bitPattern == foundationDecode(OnlyD.self, Array("{\"d\":\(text)}".utf8))?.d.bitPattern)
    }

    @Test func integersWrittenWithFractionOrExponentDecodeAsFoundationDoes() throws {
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":1.0}"#).price == 1)
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":-1.5e3}"#).price == -1500)
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":9007199254740993.0}"#).price == 9_007_199_254_740_993)
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":1.0000000000000001}"#).price == 1)
        #expect(jsonError(Trade.self, #"{"symbol":"A","price":1.5}"#) == #"field "price": 1.5 does not fit in Int64"#)
        #expect(jsonError(Trade.self, #"{"symbol":"A","price":1e19}"#) == #"field "price": 1e19 does not fit in Int64"#)
        #expect(jsonError(Trade.self, #"{"symbol":"A","price":1,"qty":2.56e2}"#) == #"field "qty": 2.56e2 does not fit in UInt8"#)
        for line in [#"{"symbol":"A","price":1.0000000000000001}"#, #"{"symbol":"A","price":9007199254740993.0}"#, #"{"symbol":"A","price":1e19}"#] {
            #expect((try? decodeJSON(Trade.self, line)) == foundationDecode(Trade.self, Array(line.utf8)))
        }
    }

    @Test func decodesEscapesUnicodeAndSurrogatePairs() throws {
        struct S: Codable, Equatable { var s: String }
        let cases: [(String, String)] = [
            (#"a\"b\\c\/d\b\f\n\r\t"#, "a\"b\\c/d\u{8}\u{C}\n\r\t"),
            (#"\u0041\u00e9\u4e2d\uD83D\uDE00\u0000"#, "Aé中😀\u{0}"),
            ("é中😀 raw", "é中😀 raw"),
            (#"\ud83d\ude00x"#, "😀x"),
            ("", ""),
        ]
        for (escaped, expected) in cases {
            #expect(try decodeJSON(S.self, "{\"s\":\"\(escaped)\"}").s == expected)
        }
    }

    @Test func matchesKeysAsFoundationDoes() throws {
        struct K: Codable, Equatable { var K: Int; var é: Int }
        // Escaped keys, a decomposed é, and the Kelvin sign (canonically equal to "K").
        #expect(try decodeJSON(K.self, #"{"\u004B":1,"e\u0301":2}"#) == K(K: 1, é: 2))
        #expect(try decodeJSON(K.self, #"{"\u212A":3,"é":4}"#) == K(K: 3, é: 4))
        // Duplicate keys: the first wins, as with Foundation.
        #expect(try decodeJSON(Trade.self, #"{"symbol":"A","price":1,"price":2,"symbol":"B"}"#) == Trade(symbol: "A", price: 1))
        #expect(foundationDecode(Trade.self, Array(#"{"symbol":"A","price":1,"price":2,"symbol":"B"}"#.utf8)) == Trade(symbol: "A", price: 1))
    }

    @Test func decodesSingleValueTypesAndDates() throws {
        struct E: Codable, Equatable { var channel: Channel; var at: Date; var other: Channel? }
        let e = try decodeJSON(E.self, #"{"channel":"Google","at":123.5,"other":null}"#)
        #expect(e == E(channel: .google, at: Date(timeIntervalSinceReferenceDate: 123.5), other: nil))
        #expect(jsonError(E.self, #"{"channel":"Bing","at":1}"#) == "field \"channel\": cannot initialize Channel from invalid String value Bing")
    }

    @Test func fallsBackToFoundationForNestedValuesAndSpecialTypes() throws {
        struct Inner: Codable, Equatable { var a: Int; var b: [String] }
        struct Outer: Codable, Equatable {
            var name: String
            var inner: Inner
            var list: [Int]
            var map: [String: Double]
            var link: URL
            var blob: Data
            var amount: Decimal
        }
        let line = #"{"name":"x","inner":{"b":["p","q"],"a":1},"list":[1,2,3],"map":{"k":1.5},"link":"https://example.com/a?b=c","blob":"AQID","amount":12.25}"#
        let outer = try decodeJSON(Outer.self, line)
        #expect(outer == Outer(name: "x", inner: Inner(a: 1, b: ["p", "q"]), list: [1, 2, 3], map: ["k": 1.5],
                               link: URL(string: "https://example.com/a?b=c")!, blob: Data([1, 2, 3]), amount: Decimal(string: "12.25")!))
        #expect(jsonError(Outer.self, #"{"name":"x","inner":{"a":1},"list":[],"map":{},"link":"x","blob":"","amount":1}"#) == "missing field \"inner.b\"")
    }

    @Test func decodesTopLevelValuesThatAreNotObjectsThroughFoundation() throws {
        #expect(try decodeJSON(Int.self, " 42 ") == 42)
        #expect(try decodeJSON([String].self, #"["a","b"]"#) == ["a", "b"])
        #expect(jsonError(Trade.self, "[1,2]") == "expected an object, found array")
    }

    @Test func acceptsAByteOrderMark() throws {
        #expect(try decodeJSON(Trade.self, "\u{FEFF}{\"symbol\":\"A\",\"price\":1}") == Trade(symbol: "A", price: 1))
    }

    @Test func copiesOfADecoderAreIndependent() throws {
        var first = JSONRecordDecoder<Trade>()
        _ = try decodeJSON(with: &first, #"{"symbol":"A","price":1}"#)
        var second = first
        #expect(try decodeJSON(with: &second, #"{"symbol":"B","price":2}"#) == Trade(symbol: "B", price: 2))
        #expect(try decodeJSON(with: &first, #"{"symbol":"C","price":3}"#) == Trade(symbol: "C", price: 3))
    }
}

@Suite struct JSONRecordDecoderErrorTests {
    @Test(arguments: [
        (#"{"symbol":"A","price":"12"}"#, #"field "price": expected an integer, found string"#),
        (#"{"symbol":"A"}"#, #"missing field "price""#),
        (#"{"symbol":"A","price":null}"#, #"field "price": expected an integer, found null"#),
        (#"{"symbol":"A","price":1,"qty":300}"#, #"field "qty": 300 does not fit in UInt8"#),
        (#"{"symbol":"A","price":1,"qty":-1}"#, #"field "qty": -1 does not fit in UInt8"#),
        (#"{"symbol":"A","price":9223372036854775808}"#, #"field "price": 9223372036854775808 does not fit in Int64"#),
        (#"{"symbol":"A","price":123456789012345678901234}"#, #"field "price": 123456789012345678901234 does not fit in Int64"#),
        (#"{"symbol":7,"price":1}"#, #"field "symbol": expected a string, found number"#),
        (#"{"symbol":"A","price":true}"#, #"field "price": expected an integer, found boolean"#),
        (#"{"symbol":"A","price":{}}"#, #"field "price": expected an integer, found object"#),
        (#"{"symbol":"A","price":[1]}"#, #"field "price": expected an integer, found array"#),
        (#"{"symbol":"A","price":1e400}"#, #"field "price": 1e400 does not fit in Int64"#),
        (#"{"symbol":"A","price":1}x"#, "invalid JSON at byte 24: trailing characters after object"),
        (#"{"symbol":"A","price":1} {}"#, "invalid JSON at byte 25: trailing characters after object"),
        (#"{"symbol":"A" "price":1}"#, #"invalid JSON at byte 14: expected ',' or '}', found '"'"#),
        (#"{"symbol":"A","price":1"#, "invalid JSON at byte 23: expected ',' or '}', found end of line"),
        (#"{"symbol":"A","price":01}"#, "invalid JSON at byte 23: expected ',' or '}', found '1'"),
        (#"{"symbol":"A","price":-}"#, "invalid JSON at byte 23: expected a digit, found '}'"),
        (#"{"symbol":"A","price":1.}"#, "invalid JSON at byte 24: expected a digit, found '}'"),
        (#"{"symbol":"A","price":1e}"#, "invalid JSON at byte 24: expected a digit, found '}'"),
        (#"{"symbol":"A","price":+1}"#, "invalid JSON at byte 22: expected a value, found '+'"),
        (#"{"symbol":"A","price":1,}"#, #"invalid JSON at byte 24: expected '"', found '}'"#),
        (#"{symbol:"A"}"#, #"invalid JSON at byte 1: expected '"' or '}', found 's'"#),
        (#"{"symbol" "A"}"#, "invalid JSON at byte 10: expected ':', found '\"'"),
        (#"{"symbol":tru}"#, "invalid JSON at byte 10: expected 'true', found 't'"),
        (#"{"symbol":nul,"price":1}"#, "invalid JSON at byte 10: expected 'null', found 'n'"),
        (#"{"symbol":"A","x":[1,2}"#, "invalid JSON at byte 22: expected ',' or ']', found '}'"),
        (#"{"symbol":"A","x":{"y":1]}"#, "invalid JSON at byte 24: expected ',' or '}', found ']'"),
        (#"{"symbol":"A\q","price":1}"#, "invalid JSON at byte 12: invalid escape sequence in string"),
        (#"{"symbol":"A\u12G4","price":1}"#, "invalid JSON at byte 12: invalid escape sequence in string"),
        (#"{"symbol":"\ud800","price":1}"#, #"invalid JSON at byte 11: \u escape is an unpaired UTF-16 surrogate"#),
        (#"{"symbol":"\udc00\ud800","price":1}"#, #"invalid JSON at byte 11: \u escape is an unpaired UTF-16 surrogate"#),
        (#"{"symbol":"\ud800\u0041","price":1}"#, #"invalid JSON at byte 11: \u escape is an unpaired UTF-16 surrogate"#),
        ("{\"symbol\":\"A\tB\",\"price\":1}", "invalid JSON at byte 12: unescaped control character byte 0x09 in string"),
        (#"{"symbol":"A"#, "invalid JSON at byte 12: unterminated string"),
        ("", "invalid JSON at byte 0: expected '{', found end of line"),
        ("   ", "invalid JSON at byte 3: expected '{', found end of line"),
        ("hello", "invalid JSON at byte 0: expected a value, found 'h'"),
        ("[1,2]", "expected an object, found array"),
        ("\"text\"", "expected an object, found string"),
    ])
    func rejectsWithASpecificReason(_ line: String, _ reason: String) {
        #expect(jsonError(Trade.self, line) == reason)
    }

    @Test func rejectsInvalidUTF8Anywhere() {
        let prefix = Array(#"{"symbol":""#.utf8)
        let suffix = Array(#"","price":1}"#.utf8)
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0x80]] {
            #expect(jsonError(Trade.self, prefix + bad + suffix) == "invalid UTF-8 at byte 11")
            // Also inside a member nobody asked for.
            #expect(jsonError(Trade.self, Array(#"{"symbol":"A","price":1,"x":""#.utf8) + bad + Array("\"}".utf8)) == "invalid UTF-8 at byte 29")
        }
    }

    @Test func rejectsNestingDeeperThanFoundationAllows() {
        let ok = #"{"symbol":"A","price":1,"x":"# + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
        #expect(jsonError(Trade.self, ok) == nil)
        let deep = #"{"symbol":"A","price":1,"x":"# + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"
        #expect(jsonError(Trade.self, deep) == "invalid JSON at byte 539: nested more than 512 levels deep")
    }

    @Test func rejectsWhatFoundationIsLaxAboutInSkippedMembers() {
        // Foundation accepts all of these (it does not look inside members it skips); we do not.
        for line in [#"{"symbol":"A","price":1,"x":[1,]}"#, #"{"symbol":"A","price":1,"x":01}"#,
                     #"{"symbol":"A","price":1,"x":"\q"}"#, #"{"symbol":"A","price":1,}"#] {
            #expect(foundationDecode(Trade.self, Array(line.utf8)) != nil)
            #expect(jsonError(Trade.self, line) != nil)
        }
    }
}
