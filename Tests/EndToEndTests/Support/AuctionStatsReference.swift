import Foundation
import SluiceNexmark

/// One output row of `auctionstats`: `{"auction":A,"bids":N,"maxPrice":P}`.
struct StatsRow: Codable, Hashable, Sendable, CustomStringConvertible {
    var auction: Int64
    var bids: Int64
    var maxPrice: Int64

    var description: String { #"{"auction":\#(auction),"bids":\#(bids),"maxPrice":\#(maxPrice)}"# }
}

/// An auction's totals: what its last row must say.
struct AuctionTotal: Hashable, Sendable {
    var bids: Int64 = 0
    var maxPrice: Int64 = 0
}

/// The brute-force answer for `auctionstats`: per auction the bid count and highest price.
struct Reference: Sendable {
    var totals: [Int64: AuctionTotal] = [:]
    /// Bids in the input: the number of rows the pipeline must write.
    var bids = 0
    /// The rows a single in-order pass writes (bid `i` of the input gives row `i`), when kept.
    var orderedRows: [StatsRow]?

    init(keepRows: Bool = false) {
        orderedRows = keepRows ? [] : nil
    }

    mutating func add(auction: Int64, price: Int64) {
        var total = totals[auction, default: AuctionTotal()]
        total.bids += 1
        total.maxPrice = max(total.maxPrice, price)
        totals[auction] = total
        bids += 1
        orderedRows?.append(StatsRow(auction: auction, bids: total.bids, maxPrice: total.maxPrice))
    }

    /// What `auctionstats` reads of an event line; a bid without auction or price is bad.
    private struct Probe: Decodable {
        var bid: (auction: Int64, price: Int64)?
        enum CodingKeys: String, CodingKey { case type, auction, price }
        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            guard try fields.decode(String.self, forKey: .type) == "bid" else { return }
            bid = (try fields.decode(Int64.self, forKey: .auction), try fields.decode(Int64.self, forKey: .price))
        }
    }

    /// Decodes every line with Foundation's `JSONDecoder`; blank lines are ignored and lines
    /// that do not decode are counted in `rejected` (they are the bad records).
    static func decoding(lines: some Sequence<some Collection<UInt8>>, keepRows: Bool = true) -> (Reference, rejected: Int) {
        let decoder = JSONDecoder()
        var reference = Reference(keepRows: keepRows)
        var rejected = 0
        for line in lines {
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            guard let probe = try? decoder.decode(Probe.self, from: Data(line)) else {
                rejected += 1
                continue
            }
            if let bid = probe.bid { reference.add(auction: bid.auction, price: bid.price) }
        }
        return (reference, rejected)
    }

    /// Decodes a whole file with `JSONDecoder` (see `decoding(lines:)`).
    static func decoding(file path: String, keepRows: Bool = true) throws -> Reference {
        let (reference, rejected) = decoding(lines: try Files.read(path).split(separator: 10, omittingEmptySubsequences: false), keepRows: keepRows)
        guard rejected == 0 else { throw TestFailure("\(path): \(rejected) lines do not decode") }
        return reference
    }

    /// A second brute force for inputs too large for `JSONDecoder` in a fast suite: scans the
    /// generator's fixed layout (`{"type":"bid","auction":A,"bidder":B,"price":P,…`) with
    /// `memchr` and pointer arithmetic (the tests are built in debug mode).
    /// `ReferenceTests` checks that it agrees with `decoding(file:)`.
    static func scanning(file path: String, keepRows: Bool = false) throws -> Reference {
        try scanning(bytes: try Files.read(path), keepRows: keepRows, name: path)
    }

    /// `scanning(file:)` over lines in memory (joined with newlines first).
    static func scanning(lines: some Sequence<some Collection<UInt8>>, keepRows: Bool = false) throws -> Reference {
        try scanning(bytes: joinLines(lines), keepRows: keepRows, name: "lines")
    }

    static func scanning(bytes: [UInt8], keepRows: Bool, name: String) throws -> Reference {
        var reference = Reference(keepRows: keepRows)
        var failure: String?
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let end = base + buffer.count
            var line = base
            while line < end {
                let newline = memchr(line, 10, end - line).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
                if newline - line > bidPrefix.count && memcmp(line, bidPrefix, bidPrefix.count) == 0 {
                    var cursor = line + bidPrefix.count
                    let auction = parseInteger(&cursor, end: newline)
                    guard skip(bidderKey, &cursor, end: newline) else { failure = "unexpected bid layout"; return }
                    _ = parseInteger(&cursor, end: newline)
                    guard skip(priceKey, &cursor, end: newline) else { failure = "unexpected bid layout"; return }
                    reference.add(auction: auction, price: parseInteger(&cursor, end: newline))
                }
                line = newline + 1
            }
        }
        if let failure { throw TestFailure("\(name): \(failure)") }
        return reference
    }

    private static let bidPrefix = Array(#"{"type":"bid","auction":"#.utf8)
    private static let bidderKey = Array(#","bidder":"#.utf8)
    private static let priceKey = Array(#","price":"#.utf8)
}

/// Reads decimal digits at `cursor` (an optional minus first), advancing it.
func parseInteger(_ cursor: inout UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int64 {
    let negative = cursor < end && cursor.pointee == 45
    if negative { cursor += 1 }
    var value: Int64 = 0
    while cursor < end, cursor.pointee &- 48 < 10 {
        value = value &* 10 &+ Int64(cursor.pointee &- 48)
        cursor += 1
    }
    return negative ? -value : value
}

/// Skips `literal` at `cursor` if it is there.
func skip(_ literal: [UInt8], _ cursor: inout UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Bool {
    guard end - cursor >= literal.count, memcmp(cursor, literal, literal.count) == 0 else { return false }
    cursor += literal.count
    return true
}

/// Reading and checking what `auctionstats` wrote.
enum StatsOutput {
    /// Parses newline-terminated rows; a line that is not a row, or an unterminated last
    /// line, is a problem.
    static func parse(_ bytes: [UInt8]) -> (rows: [StatsRow], problems: [String]) {
        var rows: [StatsRow] = []
        rows.reserveCapacity(bytes.count / 40)
        var problems: [String] = []
        let decoder = JSONDecoder()
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let end = base + buffer.count
            var line = base
            var lineNumber = 0
            while line < end {
                lineNumber += 1
                guard let found = memchr(line, 10, end - line) else {
                    problems.append("output ends in an unterminated line: \(String(decoding: UnsafeBufferPointer(start: line, count: min(end - line, 200)), as: UTF8.self))")
                    break
                }
                let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
                if let row = fastRow(line, newline) {
                    rows.append(row)
                } else {
                    let text = UnsafeBufferPointer(start: line, count: newline - line)
                    if let row = try? decoder.decode(StatsRow.self, from: Data(text)) {
                        rows.append(row)
                    } else if problems.count < 10 {
                        problems.append("output line \(lineNumber) is not a row: \(String(decoding: text.prefix(200), as: UTF8.self))")
                    }
                }
                line = newline + 1
            }
        }
        return (rows, problems)
    }

    /// Reads and parses an output file.
    static func parse(file path: String) throws -> (rows: [StatsRow], problems: [String]) {
        parse(try Files.read(path))
    }

    private static let keys = [#"{"auction":"#, #","bids":"#, #","maxPrice":"#].map { Array($0.utf8) }

    /// The compact layout the JSON-lines sink writes; anything else goes to `JSONDecoder`.
    private static func fastRow(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> StatsRow? {
        var cursor = start
        var values: (Int64, Int64, Int64) = (0, 0, 0)
        for (index, key) in keys.enumerated() {
            guard skip(key, &cursor, end: end) else { return nil }
            let digitsStart = cursor
            let value = parseInteger(&cursor, end: end)
            guard cursor > digitsStart, cursor[-1] != 45 else { return nil }
            switch index {
            case 0: values.0 = value
            case 1: values.1 = value
            default: values.2 = value
            }
        }
        guard end - cursor == 1, cursor.pointee == 125 else { return nil }
        return StatsRow(auction: values.0, bids: values.1, maxPrice: values.2)
    }

    /// Checks rows against the reference: one row per bid; per auction the `bids` column
    /// counts 1, 2, 3, … in order and the running maximum never falls; each auction's last
    /// row holds its totals. Returns the problems found (at most a few of each kind).
    static func problems(_ rows: [StatsRow], against reference: Reference) -> [String] {
        var problems: [String] = []
        func report(_ text: @autoclosure () -> String) {
            if problems.count < 12 { problems.append(text()) }
        }
        if rows.count != reference.bids {
            report("\(rows.count) rows for \(reference.bids) bids")
        }
        var last: [Int64: StatsRow] = [:]
        last.reserveCapacity(reference.totals.count)
        for row in rows {
            let previous = last[row.auction]
            let expectedCount = (previous?.bids ?? 0) + 1
            if row.bids != expectedCount {
                report("auction \(row.auction): row \(row) follows \(previous.map(\.description) ?? "nothing"), expected bids \(expectedCount)")
            }
            if let previous, row.maxPrice < previous.maxPrice {
                report("auction \(row.auction): maxPrice fell from \(previous.maxPrice) to \(row.maxPrice)")
            }
            last[row.auction] = row
        }
        for (auction, total) in reference.totals {
            guard let row = last[auction] else {
                report("auction \(auction): no rows, expected \(total.bids) bids, max \(total.maxPrice)")
                continue
            }
            if row.bids != total.bids || row.maxPrice != total.maxPrice {
                report("auction \(auction): last row \(row), expected bids \(total.bids) maxPrice \(total.maxPrice)")
            }
        }
        for auction in last.keys where reference.totals[auction] == nil {
            report("auction \(auction): rows, but no bids in the input")
        }
        return problems
    }

    /// Each auction's last row.
    static func finals(_ rows: [StatsRow]) -> [Int64: AuctionTotal] {
        var finals: [Int64: AuctionTotal] = [:]
        for row in rows where row.bids >= finals[row.auction]?.bids ?? 0 {
            finals[row.auction] = AuctionTotal(bids: row.bids, maxPrice: row.maxPrice)
        }
        return finals
    }
}

/// A generated Nexmark input with its brute-force reference.
struct GeneratedInput: Sendable {
    let path: String
    let events: Int
    let bytes: Int
    let reference: Reference

    /// Generates `events` events from `seed` into `path` and decodes them with `JSONDecoder`.
    /// With `scanned`, the reference comes from the byte scanner (for inputs too large to
    /// decode with `JSONDecoder` quickly).
    static func make(path: String, events: Int, seed: UInt64, firstEvent: Int64 = 0, scanned: Bool = false) throws -> GeneratedInput {
        var generator = NexmarkGenerator(seed: seed)
        generator.nextEventNumber = firstEvent
        let bytes = try generator.writeFile(path: path, events: events)
        let reference = scanned ? try Reference.scanning(file: path, keepRows: true) : try Reference.decoding(file: path)
        return GeneratedInput(path: path, events: events, bytes: bytes, reference: reference)
    }

    /// The file's lines, without their newlines.
    func lines() throws -> [ArraySlice<UInt8>] {
        let bytes = try Files.read(path)
        var lines: [ArraySlice<UInt8>] = []
        lines.reserveCapacity(events)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count, let found = memchr(base + start, 10, buffer.count - start) {
                let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
                lines.append(bytes[start..<newline])
                start = newline + 1
            }
            if start < buffer.count { lines.append(bytes[start...]) }
        }
        return lines
    }
}

/// Inputs shared by several tests, generated once per run (each under a lock of its own, so
/// that one large input does not hold up tests waiting for a small one).
enum SharedInputs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Once<GeneratedInput>] = [:]

    /// 20,000 events (18,400 bids, 5.6 MB) from seed 42, with a `JSONDecoder` reference.
    static func standard() async throws -> GeneratedInput {
        try await shared("standard-20k", events: 20_000, seed: 42)
    }

    /// 200,000 events from seed 7 (about 56 MB), with a scanned reference and its rows in order.
    static func medium() async throws -> GeneratedInput {
        try await shared("medium-200k", events: 200_000, seed: 7, scanned: true)
    }

    /// The large input of the backpressure tests, with a scanned reference.
    static func large() async throws -> GeneratedInput {
        try await shared("large", events: BackpressureSettings.largeInputEvents, seed: 1234, scanned: true)
    }

    static func path(_ name: String) -> String { "\(TestEnvironment.runDirectory)/\(name).jsonl" }

    /// Generates on a thread of its own: callers wait without blocking the cooperative pool.
    static func shared(_ name: String, events: Int, seed: UInt64, scanned: Bool = false) async throws -> GeneratedInput {
        let once = lock.withLock {
            if let once = cache[name] { return once }
            let once = Once<GeneratedInput>()
            cache[name] = once
            return once
        }
        return try await onThread {
            try once.get {
                try GeneratedInput.make(path: path(name), events: events, seed: seed, scanned: scanned)
            }
        }
    }
}

/// A value computed once, by the first caller; later callers wait for it.
final class Once<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?

    func get(_ make: () throws -> T) throws -> T {
        try lock.withLock {
            if let value { return value }
            let made = try make()
            value = made
            return made
        }
    }
}

/// Joins lines with newlines (and a final newline).
func joinLines(_ lines: some Sequence<some Collection<UInt8>>) -> [UInt8] {
    var bytes: [UInt8] = []
    for line in lines {
        bytes += line
        bytes.append(10)
    }
    return bytes
}
