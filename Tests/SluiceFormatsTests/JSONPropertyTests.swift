import FoundationEssentials
import SluiceCore
import SluiceFormats
import Testing

/// Random valid records rendered as JSON text in random ways, decoded by us and by Foundation's
/// JSONDecoder: the results must agree. Then random corruptions: what Foundation rejects, we
/// must reject too.
@Suite struct JSONPropertyTests {
    enum Color: String, Codable, CaseIterable { case red, green, blue = "Blue!" }

    struct Sample: Codable {
        var name: String
        var count: Int64
        var big: UInt64
        var small: Int8
        var half: UInt16
        var n: Int
        var ratio: Double
        var ratio32: Float
        var flag: Bool
        var note: String?
        var level: Int32?
        var color: Color

        /// Equal field by field, floating point by bit pattern.
        func same(as other: Sample) -> Bool {
            name == other.name && count == other.count && big == other.big && small == other.small
                && half == other.half && n == other.n && ratio.bitPattern == other.ratio.bitPattern
                && ratio32.bitPattern == other.ratio32.bitPattern && flag == other.flag && note == other.note
                && level == other.level && color == other.color
        }
    }

    /// The same fields without the enum, filled directly by the decoders.
    struct PlainSample: Codable, PlainDecodable {
        var name: String
        var count: Int64
        var big: UInt64
        var small: Int8
        var half: UInt16
        var n: Int
        var ratio: Double
        var ratio32: Float
        var flag: Bool
        var note: String?
        var level: Int32?

        func same(as other: PlainSample) -> Bool {
            name == other.name && count == other.count && big == other.big && small == other.small
                && half == other.half && n == other.n && ratio.bitPattern == other.ratio.bitPattern
                && ratio32.bitPattern == other.ratio32.bitPattern && flag == other.flag && note == other.note
                && level == other.level
        }
    }

    @Test func randomValidRecordsDecodeAsFoundationDecodesThem() {
        var rng = SeededGenerator(seed: 0x5EED_0001)
        var decoder = JSONRecordDecoder<Sample>()
        var agreed = 0
        for _ in 0..<3000 {
            let bytes = Array(Renderer.render(&rng).utf8)
            let theirs = foundationDecode(Sample.self, bytes)
            let ours = try? decodeJSON(with: &decoder, bytes)
            if let ours, let theirs {
                #expect(ours.same(as: theirs), "\(String(decoding: bytes, as: UTF8.self))")
                agreed += 1
            } else {
                #expect(ours == nil && theirs == nil, "ours \(ours.map { "\($0)" } ?? "rejected"), Foundation \(theirs == nil ? "rejected" : "accepted"): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(agreed > 2500)
    }

    @Test func plainDecodableRecordsDecodeAsFoundationDecodesThem() {
        var rng = SeededGenerator(seed: 0x5EED_0003)
        var decoder = JSONRecordDecoder<PlainSample>()
        var general = JSONRecordDecoder<Sample>()
        var agreed = 0
        for round in 0..<4000 {
            var bytes = Array(Renderer.render(&rng, withColor: false).utf8)
            if round % 2 == 1 { Renderer.mutate(&bytes, &rng) }
            let theirs = foundationDecode(PlainSample.self, bytes)
            var reason: String?
            var ours: PlainSample?
            do { ours = try decodeJSON(with: &decoder, bytes) } catch { reason = error.reason }
            if let ours, let theirs {
                #expect(ours.same(as: theirs), "\(String(decoding: bytes, as: UTF8.self))")
                agreed += 1
            } else if ours != nil {
                Issue.record("accepted what Foundation rejects: \(String(reflecting: String(decoding: bytes, as: UTF8.self)))")
            }
            // The direct path gives the same errors as init(from:) (Sample adds only "color").
            if let reason, !reason.contains("color") {
                var withColor = bytes
                if let brace = withColor.firstIndex(of: UInt8(ascii: "{")) {
                    withColor.insert(contentsOf: Array(#""color":"red","#.utf8), at: brace + 1)
                    var generalReason: String?
                    do { _ = try decodeJSON(with: &general, withColor) } catch { generalReason = error.reason }
                    if generalReason != nil && !reason.hasPrefix("invalid") {
                        #expect(generalReason == reason, "\(String(decoding: bytes, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(agreed > 1800)
    }

    @Test func corruptedRecordsAreRejectedWhenFoundationRejectsThem() {
        var rng = SeededGenerator(seed: 0x5EED_0002)
        var decoder = JSONRecordDecoder<Sample>()
        var foundationRejected = 0
        for _ in 0..<3000 {
            var bytes = Array(Renderer.render(&rng).utf8)
            for _ in 0..<Int.random(in: 1...3, using: &rng) { Renderer.mutate(&bytes, &rng) }
            let theirs = foundationDecode(Sample.self, bytes)
            var ours: Sample?
            do {
                ours = try decodeJSON(with: &decoder, bytes)
            } catch {
                #expect(!error.reason.isEmpty)
            }
            if theirs == nil { foundationRejected += 1 }
            if let ours {
                #expect(theirs?.same(as: ours) == true, "accepted what Foundation \(theirs == nil ? "rejects" : "reads differently"): \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(foundationRejected > 1000)
    }
}

/// Renders random `Sample`s as JSON text: random field order, whitespace, escapes, unknown
/// members (nested), absent or null optionals, numbers in several spellings, and now and then
/// a duplicate key.
private enum Renderer {
    static let scalarPool: [Unicode.Scalar] = Array("abcXYZ 09_-.,:{}[]".unicodeScalars)
        + ["\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\u{7F}",
           "é", "ß", "中", "\u{301}", "\u{2028}", "\u{FEFF}", "\u{FFFF}", "😀", "\u{10FFFF}", "\u{212A}"]

    static func whitespace(_ rng: inout SeededGenerator) -> String {
        ["", "", "", "", " ", "\t", "\n", "\r\n ", "  "].randomElement(using: &rng)!
    }

    static func randomString(_ rng: inout SeededGenerator) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) { s.append(scalarPool.randomElement(using: &rng)!) }
        return String(s)
    }

    static func quoted(_ s: String, _ rng: inout SeededGenerator) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            let mustEscape = scalar == "\"" || scalar == "\\" || scalar.value < 0x20
            let choice = Int.random(in: 0..<10, using: &rng)
            if !mustEscape && choice < 7 {
                out.unicodeScalars.append(scalar)
            } else if choice < 9, let short = shortEscape(scalar) {
                out += short
            } else {
                out += unicodeEscape(scalar, uppercase: Bool.random(using: &rng))
            }
        }
        return out + "\""
    }

    static func shortEscape(_ scalar: Unicode.Scalar) -> String? {
        switch scalar {
        case "\"": #"\""#
        case "\\": #"\\"#
        case "/": #"\/"#
        case "\u{8}": #"\b"#
        case "\u{C}": #"\f"#
        case "\n": #"\n"#
        case "\r": #"\r"#
        case "\t": #"\t"#
        default: nil
        }
    }

    static func unicodeEscape(_ scalar: Unicode.Scalar, uppercase: Bool) -> String {
        func hex(_ unit: UInt16) -> String {
            let digits = String(unit, radix: 16, uppercase: uppercase)
            return #"\u"# + String(repeating: "0", count: 4 - digits.count) + digits
        }
        return UTF16.encode(scalar)!.map(hex).joined()
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ rng: inout SeededGenerator) -> String {
        let value: I = switch Int.random(in: 0..<6, using: &rng) {
        case 0: .min
        case 1: .max
        case 2: 0
        default: I.random(in: .min ... .max, using: &rng) >> I(Int.random(in: 0..<I.bitWidth, using: &rng))
        }
        switch Int.random(in: 0..<20, using: &rng) {
        case 0: return "\(value).0"
        case 1: return "\(value)e0"
        case 2 where value == 0: return "-0"
        default: return "\(value)"
        }
    }

    static func floating(_ rng: inout SeededGenerator, float: Bool) -> String {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            if float {
                let f = Float(bitPattern: UInt32.random(in: 0 ... .max, using: &rng))
                return f.isFinite ? f.description : "1.5"
            }
            let d = Double(bitPattern: UInt64.random(in: 0 ... .max, using: &rng))
            return d.isFinite ? d.description : "-2.25"
        case 1:
            return String(Int.random(in: -1_000_000...1_000_000, using: &rng))
        default:
            var text = Bool.random(using: &rng) ? "-" : ""
            text += Int.random(in: 0..<4, using: &rng) == 0 ? "0" : String(UInt64.random(in: 1...UInt64.max, using: &rng) >> UInt64.random(in: 0..<64, using: &rng))
            if Bool.random(using: &rng) { text += "." + String(UInt32.random(in: 0...UInt32.max, using: &rng)) }
            if Bool.random(using: &rng) {
                text += ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                text += String(Int.random(in: 0...(float ? 50 : 330), using: &rng))
            }
            return text
        }
    }

    static func anyValue(_ rng: inout SeededGenerator, depth: Int) -> String {
        switch Int.random(in: 0..<(depth < 3 ? 8 : 6), using: &rng) {
        case 0: return quoted(randomString(&rng), &rng)
        case 1: return floating(&rng, float: false)
        case 2: return ["true", "false", "null"].randomElement(using: &rng)!
        case 3: return integer(Int64.self, &rng)
        case 4: return "[]"
        case 5: return "{}"
        case 6:
            let items = (0..<Int.random(in: 1...3, using: &rng)).map { _ in whitespace(&rng) + anyValue(&rng, depth: depth + 1) + whitespace(&rng) }
            return "[" + items.joined(separator: ",") + "]"
        default:
            let members = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                whitespace(&rng) + quoted(randomString(&rng), &rng) + whitespace(&rng) + ":" + whitespace(&rng) + anyValue(&rng, depth: depth + 1) + whitespace(&rng)
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    static func render(_ rng: inout SeededGenerator, withColor: Bool = true) -> String {
        var members: [(String, String)] = [
            ("name", quoted(randomString(&rng), &rng)),
            ("count", integer(Int64.self, &rng)),
            ("big", integer(UInt64.self, &rng)),
            ("small", integer(Int8.self, &rng)),
            ("half", integer(UInt16.self, &rng)),
            ("n", integer(Int.self, &rng)),
            ("ratio", floating(&rng, float: false)),
            ("ratio32", floating(&rng, float: true)),
            ("flag", Bool.random(using: &rng) ? "true" : "false"),
        ]
        if withColor {
            members.append(("color", quoted(JSONPropertyTests.Color.allCases.randomElement(using: &rng)!.rawValue, &rng)))
        }
        for key in ["note", "level"] {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: break
            case 1: members.append((key, "null"))
            default: members.append((key, key == "note" ? quoted(randomString(&rng), &rng) : integer(Int32.self, &rng)))
            }
        }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
            members.append((["type", "meta", "x", "ünïcode", "", "nested"].randomElement(using: &rng)!, anyValue(&rng, depth: 1)))
        }
        members.shuffle(using: &rng)
        if Int.random(in: 0..<10, using: &rng) == 0, let duplicate = members.randomElement(using: &rng) {
            members.append((duplicate.0, anyValue(&rng, depth: 1)))  // a later duplicate: the first wins
        }
        let body = members.map { key, value in
            whitespace(&rng) + quoted(key, &rng) + whitespace(&rng) + ":" + whitespace(&rng) + value + whitespace(&rng)
        }
        return whitespace(&rng) + "{" + body.joined(separator: ",") + "}" + whitespace(&rng)
    }

    static let interestingBytes: [UInt8] = Array(#"{}[]",:\ 0-.eEtfnu1"#.utf8) + [0x00, 0x09, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xE2, 0xF0, 0xFF]

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(interestingBytes.randomElement(using: &rng)!, at: at)
        case 2: bytes[at] = interestingBytes.randomElement(using: &rng)!
        case 3: bytes.removeSubrange(at...)
        default:
            let end = min(bytes.count, at + Int.random(in: 1...8, using: &rng))
            bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &rng))
        }
    }
}
