import Testing
import SluiceState

struct Address: Codable, Equatable {
    var street: String
    var zip: Int32?
}

enum Channel: String, Codable, Equatable { case web, mobile, api }

enum Event: Codable, Equatable {
    case click(x: Int, y: Int)
    case purchase(item: String, price: Double?)
    case logout
    case tagged(String, [UInt8])
}

final class Base: Codable, Equatable {
    var id: Int64
    init(id: Int64) { self.id = id }
    static func == (a: Base, b: Base) -> Bool { a.id == b.id }
}

/// A state type exercising every shape the encoder handles.
struct UserState: Codable, Equatable {
    var user: String
    var clicks: Int64
    var flags: UInt8
    var ratio: Float
    var score: Double
    var active: Bool
    var lastSeen: Int64?
    var address: Address?
    var addresses: [Address]
    var tags: Set<String>
    var counters: [String: Int]
    var byDay: [Int: [Int16?]]
    var channel: Channel
    var events: [Event]
    var matrix: [[UInt32]]
    var nothing: String??
    var base: Base

    static func random(_ random: inout SplitMix) -> UserState {
        func maybe<T>(_ value: @autoclosure () -> T) -> T? { random.next() % 3 == 0 ? nil : value() }
        let events: [Event] = (0..<random.next() % 4).map { _ in
            switch random.next() % 4 {
            case 0: return .click(x: Int(truncatingIfNeeded: random.next()), y: -1)
            case 1: return .purchase(item: randomString(&random), price: random.next() % 2 == 0 ? nil : 9.5)
            case 2: return .logout
            default: return .tagged(randomString(&random), [1, 2, UInt8(truncatingIfNeeded: random.next())])
            }
        }
        return UserState(
            user: randomString(&random),
            clicks: Int64(bitPattern: random.next()),
            flags: UInt8(truncatingIfNeeded: random.next()),
            ratio: Float(random.next() % 1000) / 7,
            score: Double(Int64(bitPattern: random.next())) / 3,
            active: random.next() % 2 == 0,
            lastSeen: maybe(Int64(bitPattern: random.next())),
            address: maybe(Address(street: randomString(&random), zip: random.next() % 2 == 0 ? nil : 8001)),
            addresses: (0..<random.next() % 3).map { _ in Address(street: randomString(&random), zip: 3) },
            tags: Set((0..<random.next() % 4).map { "t\($0)-" + randomString(&random) }),
            counters: Dictionary(uniqueKeysWithValues: (0..<random.next() % 4).map { ("k\($0)", Int(truncatingIfNeeded: random.next())) }),
            byDay: [1: [nil, 5], -3: []],
            channel: [Channel.web, .mobile, .api][Int(random.next() % 3)],
            events: events,
            matrix: [[1, 2], [], [UInt32(truncatingIfNeeded: random.next())]],
            nothing: [String??.none, .some(nil), .some("x")][Int(random.next() % 3)],
            base: Base(id: Int64(bitPattern: random.next())))
    }
}

struct Flat: Codable, Equatable {
    var key: Int64
    var count: Int64
    var max: Int64
}

/// Writes with a custom keyed container: nested keyed and unkeyed containers, encodeNil.
struct Custom: Codable, Equatable {
    var point: (Int, Int)
    var list: [String]
    var missing: Bool

    static func == (a: Custom, b: Custom) -> Bool { a.point == b.point && a.list == b.list && a.missing == b.missing }

    enum Keys: String, CodingKey { case point, list, missing }
    enum PointKeys: String, CodingKey { case x, y }

    init(point: (Int, Int), list: [String], missing: Bool) {
        self.point = point
        self.list = list
        self.missing = missing
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        var point = container.nestedContainer(keyedBy: PointKeys.self, forKey: .point)
        try point.encode(self.point.0, forKey: .x)
        try point.encode(self.point.1, forKey: .y)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        for item in self.list { try list.encode(item) }
        if missing { try container.encodeNil(forKey: .missing) } else { try container.encode(7 as UInt8, forKey: .missing) }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let point = try container.nestedContainer(keyedBy: PointKeys.self, forKey: .point)
        self.point = (try point.decode(Int.self, forKey: .x), try point.decode(Int.self, forKey: .y))
        var list = try container.nestedUnkeyedContainer(forKey: .list)
        var items: [String] = []
        while !list.isAtEnd { items.append(try list.decode(String.self)) }
        self.list = items
        if try container.decodeNil(forKey: .missing) {
            missing = true
        } else {
            _ = try container.decode(UInt8.self, forKey: .missing)
            missing = false
        }
    }
}

@Suite struct BinaryCoderTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func randomNestedValuesRoundTrip(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let values = (0..<50).map { _ in UserState.random(&random) }
        let bytes = try BinaryEncoder().encode(values)
        #expect(try BinaryDecoder().decode([UserState].self, from: bytes) == values)
    }

    @Test func reusedCodersAndWriterInterleaving() throws {
        let encoder = BinaryEncoder(), decoder = BinaryDecoder()
        var writer = SnapshotWriter()
        var random = SplitMix(seed: 99)
        let values = (0..<20).map { _ in UserState.random(&random) }
        for (index, value) in values.enumerated() {
            writer.write(Int32(index))
            try encoder.encode(value, into: &writer)
            try writer.encodeCodable(Flat(key: Int64(index), count: 1, max: 2))
        }
        var reader = SnapshotReader(writer.bytes)
        for (index, value) in values.enumerated() {
            #expect(try reader.read(Int32.self) == Int32(index))
            #expect(try decoder.decode(UserState.self, from: &reader) == value)
            #expect(try reader.decodeCodable(Flat.self) == Flat(key: Int64(index), count: 1, max: 2))
        }
        try reader.expectEnd()
    }

    /// Fields are written in order without keys: a flat struct is its fields back to back.
    @Test func flatStructIsItsFieldsInOrder() throws {
        let bytes = try BinaryEncoder().encode(Flat(key: 1, count: 2, max: 3))
        var writer = SnapshotWriter()
        writer.write(Int64(1)); writer.write(Int64(2)); writer.write(Int64(3))
        #expect(bytes == writer.bytes)
    }

    /// Collections and optionals produce the bytes of their SnapshotCodable conformances.
    @Test func matchesSnapshotCodableForStandardTypes() throws {
        let value: [String: [Int64?]] = ["a": [1, nil], "b": []]
        let strings: [String] = ["x", "ÿ"]
        var writer = SnapshotWriter()
        writer.encode(strings)
        #expect(try BinaryEncoder().encode(strings) == writer.bytes)
        writer.removeAll()
        let single: [String: [Int64?]] = ["a": [1, nil]]
        writer.encode(single)
        #expect(try BinaryEncoder().encode(single) == writer.bytes)
        #expect(try BinaryDecoder().decode([String: [Int64?]].self, from: BinaryEncoder().encode(value)) == value)
        // A Set (an unkeyed container of unknown count) reads back as an Array.
        let set: Set<Int16> = [3, 1, 2]
        let fromSet = try BinaryDecoder().decode([Int16].self, from: BinaryEncoder().encode(set))
        #expect(Set(fromSet) == set)
    }

    @Test func customContainersRoundTrip() throws {
        for value in [Custom(point: (3, -4), list: ["a", "b"], missing: true), Custom(point: (0, 0), list: [], missing: false)] {
            #expect(try BinaryDecoder().decode(Custom.self, from: BinaryEncoder().encode(value)) == value)
        }
    }

    @Test func enumsFindTheirCase() throws {
        let events: [Event] = [.click(x: 1, y: 2), .purchase(item: "🎁", price: nil), .logout, .tagged("t", [9])]
        #expect(try BinaryDecoder().decode([Event].self, from: BinaryEncoder().encode(events)) == events)
    }

    /// Cut anywhere, nested Codable bytes throw SnapshotError and never trap.
    @Test func truncationAtEveryLengthThrows() throws {
        var random = SplitMix(seed: 5)
        let values = (0..<3).map { _ in UserState.random(&random) }
        let bytes = try BinaryEncoder().encode(values)
        let decoder = BinaryDecoder()
        for length in 0..<bytes.count {
            #expect(throws: SnapshotError.self, "length \(length)") {
                try decoder.decode([UserState].self, from: Array(bytes.prefix(length)))
            }
        }
    }

    @Test func corruptInputThrowsNamingTheProblem() throws {
        var bytes = try BinaryEncoder().encode(Event.purchase(item: "x", price: 1))
        bytes[0] = 3   // the case name's length: now runs past "purchase"
        let error = try #require(throws: SnapshotError.self) { try BinaryDecoder().decode(Event.self, from: bytes) }
        #expect(error.kind == .corrupt)
        #expect(error.message.contains("Event"))

        let extra = try BinaryEncoder().encode(Flat(key: 1, count: 2, max: 3)) + [0]
        let leftover = try #require(throws: SnapshotError.self) { try BinaryDecoder().decode(Flat.self, from: extra) }
        #expect(leftover.message.contains("1 unexpected bytes"))

        // An Optional's presence byte that is neither 0 nor 1.
        let presence = try #require(throws: SnapshotError.self) { try BinaryDecoder().decode(Int64?.self, from: [2]) }
        #expect(presence.message.contains("presence byte 2"))
    }

    /// Random bytes decode to a value or throw SnapshotError; they never trap.
    @Test func randomBytesNeverTrap() {
        var random = SplitMix(seed: 2024)
        let decoder = BinaryDecoder()
        for _ in 0..<3_000 {
            let bytes = (0..<random.next() % 80).map { _ in UInt8(truncatingIfNeeded: random.next() % 5 == 0 ? 0 : random.next()) }
            for attempt in 0..<4 {
                do {
                    switch attempt {
                    case 0: _ = try decoder.decode([UserState].self, from: bytes)
                    case 1: _ = try decoder.decode([Event].self, from: bytes)
                    case 2:
                        var reader = SnapshotReader(bytes)
                        _ = try reader.decode([WindowState].self)
                    default: _ = try decoder.decode([String: Set<Int8>].self, from: bytes)
                    }
                } catch is SnapshotError {
                } catch {
                    Issue.record("unexpected error type \(type(of: error)): \(error)")
                }
            }
        }
    }

    @Test func aFailedEncodeLeavesTheWriterAsItWas() throws {
        struct Failing: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.unkeyedContainer()
                try container.encode(1 as Int64)
                throw EncodingError.invalidValue(1, .init(codingPath: [], debugDescription: "no"))
            }
        }
        var writer = SnapshotWriter()
        writer.write(UInt8(7))
        #expect(throws: EncodingError.self) { try BinaryEncoder().encode(Failing(), into: &writer) }
        #expect(writer.bytes == [7])
    }
}
