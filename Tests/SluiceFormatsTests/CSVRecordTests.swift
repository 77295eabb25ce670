import FoundationEssentials
import SluiceCore
import SluiceFormats
import Testing

private struct Trade: Codable, Equatable {
    var symbol: String
    var price: Int64
    var qty: UInt8?
    var ratio: Double?
    var live: Bool
}

private enum Side: String, Codable { case buy, sell }

@Suite struct CSVRecordDecoderTests {
    @Test func matchesColumnsByHeaderNameInAnyOrder() throws {
        let trades = try decodeCSV(Trade.self, header: "live,extra,price,symbol,qty,ratio", [
            "true,ignored,12,ABC,7,0.5",
            "FALSE,,-3,\"A,B\",,",
            "1,x,0,\"say \"\"hi\"\"\",255,1e-3\r",
        ])
        #expect(trades == [
            Trade(symbol: "ABC", price: 12, qty: 7, ratio: 0.5, live: true),
            Trade(symbol: "A,B", price: -3, qty: nil, ratio: nil, live: false),
            Trade(symbol: "say \"hi\"", price: 0, qty: 255, ratio: 0.001, live: true),
        ])
    }

    @Test func columnsTheHeaderLacksAreAbsent() throws {
        #expect(try decodeCSV(Trade.self, header: "symbol,price,live", ["A,1,0"]) == [Trade(symbol: "A", price: 1, qty: nil, ratio: nil, live: false)])
        #expect(csvError(Trade.self, header: "symbol,qty,live", "A,1,0") == #"missing column "price""#)
    }

    @Test func emptyFieldsAreNullButQuotedEmptyFieldsAreEmptyStrings() throws {
        struct S: Codable, Equatable { var a: String; var b: String?; var c: String? }
        #expect(try decodeCSV(S.self, header: "a,b,c", [",,\"\""]) == [S(a: "", b: nil, c: "")])
    }

    @Test func decodesSingleValueTypes() throws {
        struct S: Codable, Equatable { var side: Side; var at: Date; var link: URL; var blob: Data; var amount: Decimal; var f: Float }
        let s = try decodeCSV(S.self, header: "\u{FEFF}side,at,link,blob,amount,f", ["sell,1.5,https://example.com/x,AQID,12.25,nan"])
        #expect(s[0].side == .sell && s[0].at == Date(timeIntervalSinceReferenceDate: 1.5) && s[0].link == URL(string: "https://example.com/x")!)
        #expect(s[0].blob == Data([1, 2, 3]) && s[0].amount == Decimal(string: "12.25")! && s[0].f.isNaN)
    }

    @Test(arguments: [
        ("ABC,12a,1,,true", #"column "price": expected an integer, found "12a""#),
        ("ABC,,1,,true", #"column "price": expected an integer, found an empty field"#),
        ("ABC,99999999999999999999,1,,true", #"column "price": 99999999999999999999 does not fit in Int64"#),
        ("ABC,1,256,,true", #"column "qty": 256 does not fit in UInt8"#),
        ("ABC,1,-1,,true", #"column "qty": -1 does not fit in UInt8"#),
        ("ABC,1,1,0x10,true", #"column "ratio": expected a number, found "0x10""#),
        ("ABC,1,1,1.5.5,true", #"column "ratio": expected a number, found "1.5.5""#),
        ("ABC,1,1,,yes", #"column "live": expected a boolean, found "yes""#),
        ("ABC,1,1,", "expected 5 fields as in the header, found 4"),
        ("ABC,1,1,,true,extra", "expected 5 fields as in the header, found 6"),
        ("\"ABC,1,1,,true", "invalid CSV at byte 0: quoted field is not closed"),
        ("\"AB\"C,1,1,,true", "invalid CSV at byte 4: expected ',' after a closing quote"),
        ("AB\"C,1,1,,true", #"invalid CSV at byte 2: '"' inside an unquoted field (quote the whole field and double the quote)"#),
    ])
    func rejectsWithASpecificReason(_ line: String, _ reason: String) {
        #expect(csvError(Trade.self, header: "symbol,price,qty,ratio,live", line) == reason)
    }

    @Test func rejectsInvalidUTF8AndBadHeaders() {
        var bytes = Array("A".utf8) + [0xFF] + Array(",1,,,true".utf8)
        let reason = bytes.withUnsafeMutableBytes { raw -> String? in
            do {
                var decoder = try Array("symbol,price,qty,ratio,live".utf8).withUnsafeBytes { try CSVRecordDecoder<Trade>(header: $0) }
                _ = try decoder.decode(UnsafeRawBufferPointer(raw))
                return nil
            } catch {
                return (error as? RecordDecodingError)?.reason
            }
        }
        #expect(reason == "invalid UTF-8 at byte 1")
        #expect(csvError(Trade.self, header: "symbol,price,symbol", "a,1,b") == #"CSV header names column "symbol" twice"#)
        #expect(csvError(Trade.self, header: "symbol,,price", "a,1,b") == "CSV header has an empty column name")
        #expect(csvError(Trade.self, header: "", "") == "CSV header is empty")
    }

    @Test func rejectsNestedValues() {
        struct Nested: Codable { var symbol: String; var tags: [String] }
        #expect(csvError(Nested.self, header: "symbol,tags", "a,b") == #"column "tags": a CSV field cannot hold an array"#)
    }
}

@Suite struct CSVRecordEncoderTests {
    @Test func writesAHeaderThenRecordsInColumnOrder() throws {
        let trades = [
            Trade(symbol: "ABC", price: 12, qty: nil, ratio: 0.5, live: true),
            Trade(symbol: "A,B", price: -3, qty: 7, ratio: nil, live: false),
            Trade(symbol: "say \"hi\"", price: 0, qty: 255, ratio: .infinity, live: true),
            Trade(symbol: "", price: 0, qty: nil, ratio: 1, live: true),
        ]
        let text = try encodeCSV(trades)
        #expect(text == "symbol,price,qty,ratio,live\n"
            + "ABC,12,,0.5,true\n"
            + "\"A,B\",-3,7,,false\n"
            + "\"say \"\"hi\"\"\",0,255,inf,true\n"
            + "\"\",0,,1,true\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(try decodeCSV(Trade.self, header: lines[0], Array(lines.dropFirst())) == trades)
        #expect(try encodeCSV([trades[0]], writesHeader: false) == "ABC,12,,0.5,true\n")
    }

    @Test func writesSingleValueTypes() throws {
        struct S: Codable { var side: Side; var at: Date; var link: URL; var blob: Data }
        let s = S(side: .buy, at: Date(timeIntervalSinceReferenceDate: 1.5), link: URL(string: "https://x.org/a,b")!, blob: Data([1, 2, 3]))
        #expect(try encodeCSV([s]) == "side,at,link,blob\nbuy,1.5,\"https://x.org/a,b\",AQID\n")
    }

    @Test func rejectsWhatCSVCannotHold() {
        struct Nested: Codable { var symbol: String; var tags: [String] }
        struct Lines: Codable { var text: String }
        #expect(throws: RecordEncodingError(#"column "tags": a CSV field cannot hold an array"#)) { try encodeCSV([Nested(symbol: "a", tags: [])]) }
        #expect(throws: RecordEncodingError(#"column "text": a CSV field cannot hold a line break"#)) { try encodeCSV([Lines(text: "a\nb")]) }
    }

    @Test func laterRecordsCannotAddColumns() throws {
        struct Dynamic: Encodable {
            var keys: [String]
            struct Key: CodingKey { var stringValue: String; init(stringValue: String) { self.stringValue = stringValue }; var intValue: Int? { nil }; init?(intValue: Int) { nil } }
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: Key.self)
                for key in keys { try c.encode(1, forKey: Key(stringValue: key)) }
            }
        }
        #expect(throws: RecordEncodingError(#"column "c": not a column of the CSV header, which the first record fixed"#)) {
            try encodeCSV([Dynamic(keys: ["a", "b"]), Dynamic(keys: ["b", "c"])])
        }
        #expect(throws: RecordEncodingError(#"column "a": written twice in one record"#)) { try encodeCSV([Dynamic(keys: ["a", "a"])]) }
        #expect(try encodeCSV([Dynamic(keys: ["a", "b"]), Dynamic(keys: ["b"])]) == "a,b\n1,1\n,1\n")
    }
}
