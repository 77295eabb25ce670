import Testing
import SluiceState

/// A state type written by hand, nesting the built-in conformances.
struct WindowState: SnapshotCodable, Equatable {
    var key: Int64
    var windowStart: Int64
    var count: Int32
    var sum: Double
    var label: String?
    var recent: [UInt16]
    var byChannel: [String: Int64]

    init(key: Int64, windowStart: Int64, count: Int32, sum: Double, label: String?, recent: [UInt16], byChannel: [String: Int64]) {
        self.key = key
        self.windowStart = windowStart
        self.count = count
        self.sum = sum
        self.label = label
        self.recent = recent
        self.byChannel = byChannel
    }

    func write(to writer: inout SnapshotWriter) {
        writer.write(key)
        writer.writeVarint(signed: windowStart)
        writer.encode(count)
        writer.write(sum)
        writer.encode(label)
        writer.encode(recent)
        writer.encode(byChannel)
    }

    init(from reader: inout SnapshotReader) throws {
        key = try reader.read()
        windowStart = try reader.readSignedVarint()
        count = try reader.decode()
        sum = try reader.read(Double.self)
        label = try reader.decode()
        recent = try reader.decode()
        byChannel = try reader.decode()
    }

    static func random(_ random: inout SplitMix) -> WindowState {
        WindowState(
            key: Int64(bitPattern: random.next()),
            windowStart: Int64(bitPattern: random.next()) >> Int64(random.next() % 64),
            count: Int32(truncatingIfNeeded: random.next()),
            sum: Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF),
            label: random.next() % 3 == 0 ? nil : randomString(&random),
            recent: (0..<random.next() % 6).map { _ in UInt16(truncatingIfNeeded: random.next()) },
            byChannel: Dictionary(uniqueKeysWithValues: (0..<random.next() % 4).map { index in
                ("\(randomString(&random))#\(index)", Int64(bitPattern: random.next()))
            }))
    }
}

/// Strings mixing ASCII, accents, CJK, emoji (with ZWJ sequences) and the empty string.
func randomString(_ random: inout SplitMix) -> String {
    let pieces = ["a", "Zürich", "東京", "👩‍👩‍👧", "é", " ", "\u{0}", "ß", "🇨🇭", "line\nbreak", ""]
    return (0..<random.next() % 5).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
}

@Suite struct SnapshotCodecTests {
    @Test func primitivesRoundTripAtTheirEdges() throws {
        var writer = SnapshotWriter()
        let varints: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, 1 << 35, UInt64.max - 1, UInt64.max]
        let signed: [Int64] = [0, -1, 1, -64, 63, -65, 64, Int64.min, Int64.max]
        for value in varints { writer.writeVarint(value) }
        for value in signed { writer.writeVarint(signed: value) }
        writer.write(Int8.min); writer.write(UInt8.max); writer.write(Int16.min); writer.write(UInt16.max)
        writer.write(Int32.min); writer.write(UInt32.max); writer.write(Int64.min); writer.write(UInt64.max)
        writer.write(-0.0); writer.write(Double.infinity); writer.write(Double.leastNonzeroMagnitude)
        writer.write(Float.greatestFiniteMagnitude)
        writer.write(true); writer.write(false)
        writer.write(""); writer.write("Grüße, 世界 👋🏽")
        writer.writeBytes([1, 2, 3])

        var reader = SnapshotReader(writer.bytes)
        for value in varints { #expect(try reader.readVarint() == value) }
        for value in signed { #expect(try reader.readSignedVarint() == value) }
        #expect(try reader.read(Int8.self) == .min); #expect(try reader.read(UInt8.self) == .max)
        #expect(try reader.read(Int16.self) == .min); #expect(try reader.read(UInt16.self) == .max)
        #expect(try reader.read(Int32.self) == .min); #expect(try reader.read(UInt32.self) == .max)
        #expect(try reader.read(Int64.self) == .min); #expect(try reader.read(UInt64.self) == .max)
        let negativeZero = try reader.read(Double.self)
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        #expect(try reader.read(Double.self) == .infinity)
        #expect(try reader.read(Double.self) == .leastNonzeroMagnitude)
        #expect(try reader.read(Float.self) == .greatestFiniteMagnitude)
        #expect(try reader.read(Bool.self) == true); #expect(try reader.read(Bool.self) == false)
        #expect(try reader.read(String.self) == ""); #expect(try reader.read(String.self) == "Grüße, 世界 👋🏽")
        #expect(try reader.readBytes(count: 3) == [1, 2, 3])
        #expect(reader.isAtEnd)
        try reader.expectEnd()
    }

    @Test func fixedWidthIntegersAreLittleEndianAndVarintsLEB128() {
        var writer = SnapshotWriter()
        writer.write(UInt32(0x0102_0304))
        writer.writeVarint(300)
        writer.writeVarint(signed: -3)
        writer.write("é")
        #expect(writer.bytes == [0x04, 0x03, 0x02, 0x01, 0xAC, 0x02, 0x05, 0x02, 0xC3, 0xA9])
    }

    /// Seeded random values of a nested state type survive a round trip, many to one buffer.
    @Test(arguments: [1, 2, 3, 4, 5])
    func randomValuesRoundTrip(seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let values = (0..<300).map { _ in WindowState.random(&random) }
        var writer = SnapshotWriter()
        writer.encode(values)
        var reader = SnapshotReader(writer.bytes)
        #expect(try reader.decode([WindowState].self) == values)
        try reader.expectEnd()
    }

    @Test func builtInConformancesRoundTrip() throws {
        var writer = SnapshotWriter()
        let ints: [Int] = [.min, -1, 0, 1, .max]
        let uints: [UInt] = [0, .max]
        let nested: [[String?]] = [[], [nil], ["x", nil, "👍"]]
        let map: [Int64: [Bool]] = [1: [true], -5: [], 9: [false, true]]
        let optionalOptional: Int32?? = .some(nil)
        let floats: [Float] = [1.5, -.infinity]
        writer.encode(ints); writer.encode(uints); writer.encode(nested); writer.encode(map)
        writer.encode(optionalOptional); writer.encode(floats)
        var reader = SnapshotReader(writer.bytes)
        #expect(try reader.decode([Int].self) == ints)
        #expect(try reader.decode([UInt].self) == uints)
        #expect(try reader.decode([[String?]].self) == nested)
        #expect(try reader.decode([Int64: [Bool]].self) == map)
        #expect(try reader.decode(Int32??.self) == optionalOptional)
        #expect(try reader.decode([Float].self) == floats)
        try reader.expectEnd()
    }

    /// Cutting the bytes anywhere gives a thrown error, never a trap or a wrong value.
    @Test func truncationAtEveryLengthThrows() throws {
        var random = SplitMix(seed: 11)
        let values = (0..<8).map { _ in WindowState.random(&random) }
        var writer = SnapshotWriter()
        writer.encode(values)
        let bytes = writer.bytes
        for length in 0..<bytes.count {
            var reader = SnapshotReader(Array(bytes.prefix(length)))
            let error = try #require(throws: SnapshotError.self, "length \(length)") { try reader.decode([WindowState].self) }
            #expect(error.kind == .truncated || error.kind == .corrupt, "length \(length): \(error)")
        }
    }

    @Test func corruptValuesThrowClearErrors() throws {
        func error<T: SnapshotCodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> SnapshotError {
            var reader = SnapshotReader(bytes)
            return try #require(throws: SnapshotError.self) { try reader.decode(type) }
        }
        #expect(try error(Bool.self, [2]).message == "corrupt: byte 2 at offset 0 is not a Bool (0 or 1)")
        #expect(try error(Int?.self, [7]).message.contains("presence byte 7"))
        #expect(try error(String.self, [2, 0xC3, 0x28]).message.contains("not valid UTF-8"))
        #expect(try error(String.self, [5, 65]).kind == .truncated)
        #expect(try error(String.self, [5, 65]).message.contains("needs 5 bytes"))
        let overlong = [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(try error([UInt8].self, overlong).message.contains("overflows 64 bits"))
        #expect(try error([Int8: Bool].self, [2, 1, 1, 1, 0]).message.contains("holds the key 1 twice"))
        #expect(try error(Int64.self, [1, 2, 3]).message == "truncated: Int64 at offset 0 needs 8 bytes, only 3 left")
        var reader = SnapshotReader([1, 2])
        _ = try reader.read(UInt8.self)
        #expect(throws: SnapshotError.self) { try reader.expectEnd() }
        #expect(throws: SnapshotError.self) { try reader.readBytes(count: 2) }
        #expect(throws: SnapshotError.self) { try reader.skip(-1) }
    }

    @Test func writerReuseAndTake() {
        var writer = SnapshotWriter(capacity: 4)
        for value in 0..<1000 { writer.write(Int32(value)) }
        #expect(writer.count == 4000)
        writer.removeAll()
        writer.write(UInt8(9))
        #expect(writer.bytes == [9])
        #expect(writer.take() == [9])
        #expect(writer.count == 0)
        writer.write(UInt16(1))
        writer.overwrite(UInt16(0xBEEF), at: 0)
        #expect(writer.bytes == [0xEF, 0xBE])
    }
}
