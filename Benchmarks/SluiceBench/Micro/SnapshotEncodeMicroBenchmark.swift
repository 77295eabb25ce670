import SluiceState

/// Serialises a keyed state table of 10,000 entries (`Int64` keys, the `Codable` struct values
/// of `checkpoint-state`, through the generic `BinaryEncoder`) and compresses it with zstd at
/// the checkpoint level: what a checkpoint does with one operator instance's state, without the
/// file I/O.
struct SnapshotEncodeMicroBenchmark: MicroBenchmark {
    static let name = "micro-snapshot-encode"
    static let unit = "entry"
    static let operationsPerCall = 10_000
    static let timedCalls = 20

    private let table = CheckpointStateBenchmark.makeTable(entries: operationsPerCall)
    private let zstd = Zstd()
    private var compressedBytes = 0

    mutating func run(calls: Int) throws {
        for _ in 0..<calls {
            let (bytes, records) = try table.serialized()
            precondition(records == Self.operationsPerCall)
            compressedBytes &+= try zstd.compress(bytes, level: Zstd.defaultLevel).count
        }
    }
}
