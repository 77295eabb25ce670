import FoundationEssentials
import SluiceCore
@testable import SluiceFormats
import Testing

/// `PlainCodable` types are filled and read directly; they must behave exactly as through
/// `init(from:)` and `encode(to:)`.
@Suite struct PlainCodableTests {
    struct Row: Codable, Equatable {
        var id: Int64
        var small: Int8
        var count: UInt32
        var price: Double
        var ratio: Float
        var live: Bool
        var name: String
        var note: String?
        var level: Int16?
        var score: Double?
    }

    /// The same struct, declared plain.
    struct PlainRow: Codable, Equatable, PlainCodable {
        var id: Int64
        var small: Int8
        var count: UInt32
        var price: Double
        var ratio: Float
        var live: Bool
        var name: String
        var note: String?
        var level: Int16?
        var score: Double?

        init(_ row: Row) {
            (id, small, count, price, ratio, live, name, note, level, score) =
                (row.id, row.small, row.count, row.price, row.ratio, row.live, row.name, row.note, row.level, row.score)
        }
    }

    static func randomRow(_ rng: inout SeededGenerator) -> Row {
        let names = ["", "plain", "quote\"d", "back\\slash", "line\nbreak", "é中😀", "\u{0}\u{1F}", "a/b"]
        return Row(id: .random(in: .min ... .max, using: &rng), small: .random(in: .min ... .max, using: &rng),
                   count: .random(in: 0 ... .max, using: &rng),
                   price: [0.1, -0.0, 1e300, .leastNonzeroMagnitude, 42, -7.25].randomElement(using: &rng)!,
                   ratio: [0.1, 3.4028235e38, -1, 0].randomElement(using: &rng)!, live: .random(using: &rng),
                   name: names.randomElement(using: &rng)!, note: Bool.random(using: &rng) ? names.randomElement(using: &rng) : nil,
                   level: Bool.random(using: &rng) ? .random(in: .min ... .max, using: &rng) : nil,
                   score: Bool.random(using: &rng) ? 1.5 : nil)
    }

    @Test func plansAreMadeOnlyForTypesThatFit() {
        let plan = PlainFieldPlan.make(decoding: PlainRow.self)
        #expect(plan.map { plan in plan.fields.indices.map { plan.key($0) } } == ["id", "small", "count", "price", "ratio", "live", "name", "note", "level", "score"])
        #expect(plan?.fields.map(\.optional) == [false, false, false, false, false, false, false, true, true, true])
        let row = PlainRow(Row(id: 1, small: 1, count: 1, price: 1, ratio: 1, live: true, name: "", note: nil, level: nil, score: nil))
        #expect(PlainFieldPlan.make(encoding: row)?.fields.map(\.offset) == plan?.fields.map(\.offset))
        enum Side: String, Codable { case buy }
        struct WithEnum: Codable { var side: Side; var qty: Int }
        struct Custom: Codable {
            var a: Int
            var b: Int
            init(from decoder: any Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                b = try c.decode(Int.self, forKey: .b)
                a = try c.decode(Int.self, forKey: .a)
            }
        }
        final class Reference: Codable { var a = 1 }
        #expect(PlainFieldPlan.make(decoding: WithEnum.self) == nil)
        #expect(PlainFieldPlan.make(decoding: Reference.self) == nil)
        // Same calls and types as a synthesized init, in another order: only the absence of a
        // PlainDecodable declaration keeps such a type off the direct path.
        #expect(PlainFieldPlan.make(decoding: Custom.self) != nil)
    }

    @Test func encodesExactlyAsThroughEncodeTo() throws {
        var rng = SeededGenerator(seed: 0x5EED_0004)
        var plain = JSONRecordEncoder<PlainRow>()
        var general = JSONRecordEncoder<Row>()
        var decoder = JSONRecordDecoder<PlainRow>()
        for _ in 0..<1000 {
            let row = Self.randomRow(&rng)
            var a: [UInt8] = [], b: [UInt8] = []
            try plain.encode(PlainRow(row), into: &a)
            try general.encode(row, into: &b)
            #expect(a == b)
            #expect(try decodeJSON(with: &decoder, Array(a.dropLast())) == PlainRow(row))
        }
    }

    @Test func reportsTheSameErrors() {
        var row = Row(id: 1, small: 2, count: 3, price: .nan, ratio: 1, live: true, name: "x", note: nil, level: nil, score: nil)
        #expect(jsonEncodeError(PlainRow(row)) == #"field "price": cannot encode nan in JSON"#)
        row.price = 1
        row.score = .infinity
        #expect(jsonEncodeError(PlainRow(row)) == #"field "score": cannot encode inf in JSON"#)
        for line in [#"{"id":1}"#, #"{"id":"1","small":2}"#, #"{"id":1,"small":300,"count":1,"price":1,"ratio":1,"live":true,"name":"x"}"#,
                     #"{"id":1,"small":3,"count":-1,"price":1,"ratio":1,"live":true,"name":"x"}"#,
                     #"{"id":1,"small":3,"count":1,"price":1,"ratio":1,"live":true,"name":null}"#] {
            #expect(jsonError(PlainRow.self, line) == jsonError(Row.self, line))
            #expect(jsonError(PlainRow.self, line) != nil)
        }
    }

    @Test func decodesLinesTheDirectPathLeavesToInitFrom() throws {
        // Escaped keys, integers written as 1.0, duplicate keys: all handled by the general path.
        let line = #"{"\u0069d":1.0,"small":2e0,"count":3,"count":4,"price":1,"ratio":1,"live":false,"name":"n","level":null}"#
        let row = try decodeJSON(PlainRow.self, line)
        #expect(row.id == 1 && row.small == 2 && row.count == 3 && row.level == nil && row.note == nil)
    }

    @Test func honoursCustomCodingKeys() throws {
        struct Renamed: Codable, Equatable, PlainCodable {
            var dateTime: Int64
            var itemName: String?
            enum CodingKeys: String, CodingKey {
                case dateTime = "date_time"
                case itemName = "item"
            }
        }
        #expect(try decodeJSON(Renamed.self, #"{"item":"x","date_time":5}"#) == Renamed(dateTime: 5, itemName: "x"))
        #expect(try encodeJSON(Renamed(dateTime: 5, itemName: "x")) == #"{"date_time":5,"item":"x"}"# + "\n")
    }

    @Test func typesThatDoNotFitUseTheGeneralPath() throws {
        enum Side: String, Codable { case buy }
        struct WithEnum: Codable, Equatable, PlainCodable { var side: Side; var qty: Int }
        struct WithDefault: Codable, Equatable, PlainCodable {
            var qty: Int
            var local = "default"
            enum CodingKeys: String, CodingKey { case qty }
        }
        struct Nested: Codable, Equatable, PlainCodable { var inner: [Int]; var qty: Int }
        #expect(try decodeJSON(WithEnum.self, #"{"side":"buy","qty":1}"#) == WithEnum(side: .buy, qty: 1))
        #expect(try encodeJSON(WithEnum(side: .buy, qty: 1)) == #"{"side":"buy","qty":1}"# + "\n")
        #expect(try decodeJSON(WithDefault.self, #"{"qty":1,"local":"x"}"#) == WithDefault(qty: 1))
        #expect(try encodeJSON(WithDefault(qty: 1)) == #"{"qty":1}"# + "\n")
        #expect(try decodeJSON(Nested.self, #"{"inner":[1,2],"qty":1}"#) == Nested(inner: [1, 2], qty: 1))
        #expect(try encodeJSON(Nested(inner: [1, 2], qty: 1)) == #"{"inner":[1,2],"qty":1}"# + "\n")
    }
}
