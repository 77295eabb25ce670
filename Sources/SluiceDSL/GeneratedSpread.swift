/// How a generated source spreads record numbers over its instances: in runs of `runLength`
/// consecutive numbers, dealt round the instances (instance `i` makes the runs `i`, `i + p`,
/// `i + 2p`, … of `p` instances). With runs of 1 the instances take turns record by record.
///
/// A generator whose records repeat a pattern (Nexmark's 50 events: one person, three auctions,
/// forty-six bids) gives every instance the same mix when a run is the pattern: dealt one by
/// one, two instances got the person and the auctions unevenly, and the one with the person
/// did a seventh more work.
@usableFromInline
struct GeneratedSpread: Sendable {
    /// Consecutive record numbers an instance makes before the next instance's run.
    @usableFromInline let runLength: Int
    /// The numbers an instance skips after each of its runs: the other instances' runs.
    @usableFromInline let gap: Int

    init(runLength: Int, parallelism: Int) {
        precondition(runLength >= 1, "a generated source's runs hold at least one record")
        self.runLength = runLength
        gap = (parallelism - 1) * runLength
    }

    /// The first record number of `instance`.
    func first(of instance: Int) -> Int { instance * runLength }

    /// The number after the last of the run that holds `number`.
    @inlinable
    func runEnd(after number: Int) -> Int { (number / runLength + 1) * runLength }
}
