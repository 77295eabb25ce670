import Sluice
import SluiceNexmark

/// Decodes Nexmark bid lines (every field) into `Bid`, a `PlainDecodable` struct, with one
/// reused `JSONRecordDecoder`: what a JSON-lines source does per line after splitting.
struct JSONParseMicroBenchmark: MicroBenchmark {
    static let name = "micro-json-parse"
    static let unit = "record"
    static let operationsPerCall = 1024
    static let timedCalls = 200

    /// The lines back to back, without newlines; `lines` says where each one is.
    private let text: [UInt8]
    private let lines: [Range<Int>]
    private var decoder = JSONRecordDecoder<Bid>()
    private var checksum: Int64 = 0

    init() {
        (text, lines) = MicroBids.lines(count: Self.operationsPerCall)
    }

    mutating func run(calls: Int) throws {
        // Locals, so that the closure below reads them without holding `self` while it changes
        // the decoder.
        let text = text, lines = lines
        var sum: Int64 = 0
        for _ in 0..<calls {
            try text.withUnsafeBytes { bytes in
                for line in lines {
                    sum &+= try decoder.decode(UnsafeRawBufferPointer(rebasing: bytes[line])).price
                }
            }
        }
        checksum &+= sum
        precondition(checksum != 0 || calls == 0, "no bids decoded")
    }
}
