/// Counts frees, for tests that check every record is freed exactly once.
final class FreeCounter {
    var count = 0
}

/// A reference whose count tells whether a record was copied, and which counts its frees.
final class Tracked {
    let value: Int
    let freed: FreeCounter

    init(_ value: Int, freed: FreeCounter) {
        self.value = value
        self.freed = freed
    }

    deinit { freed.count += 1 }
}
