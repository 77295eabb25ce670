import Sluice
import SluiceNexmark

/// The input of the micro-benchmarks: the bids of the Nexmark generator with seed 1, in
/// event-time order, as JSON lines or as batches of `Bid`s stamped with their `dateTime`.
enum MicroBids {
    /// The first `count` bids' JSON lines back to back, without newlines, and where each one is.
    static func lines(count: Int) -> (text: [UInt8], lines: [Range<Int>]) {
        var text: [UInt8] = []
        var lines: [Range<Int>] = []
        for bid in bids(count: count) {
            let start = text.count
            NexmarkEvent.bid(bid).appendJSONLine(into: &text)
            if text.last == UInt8(ascii: "\n") { text.removeLast() }
            lines.append(start..<text.count)
        }
        return (text, lines)
    }

    /// The first `count` bids in batches of `batchSize` (the last one may be shorter).
    static func batches(count: Int, batchSize: Int) -> [Batch<Bid>] {
        var batches: [Batch<Bid>] = []
        var batch = Batch<Bid>(capacity: batchSize)
        for bid in bids(count: count) {
            batch.append(bid, time: bid.dateTime)
            if batch.count == batchSize {
                batches.append(batch)
                batch = Batch(capacity: batchSize)
            }
        }
        if !batch.isEmpty { batches.append(batch) }
        return batches
    }

    private static func bids(count: Int) -> [Bid] {
        var bids: [Bid] = []
        bids.reserveCapacity(count)
        var generator = NexmarkGenerator(seed: 1)
        while bids.count < count {
            if case .bid(let bid) = generator.next() { bids.append(bid) }
        }
        return bids
    }
}
