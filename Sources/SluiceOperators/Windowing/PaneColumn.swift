import SluiceCore

/// One pane of every key, as a column: the accumulator of the key in slot `s` is
/// `accumulators[s]`, meaningful where bit `s` of `present` is set (elsewhere it is initialised
/// but stale or empty).
///
/// A class over plain buffers, so that a pass over a window's columns reads them through
/// pointers, and so that a snapshot shares the column until the store next writes to it (the
/// store checks `isKnownUniquelyReferenced` first and writes to a copy otherwise).
@usableFromInline final class PaneColumn<Accumulator> {
    /// The start of the pane, a multiple of the pane length. Unchecked, as `presentCount`.
    @exclusivity(unchecked) @usableFromInline var start: EventTime
    /// Slots the buffers hold: a multiple of 64, so that `present` is whole words.
    @usableFromInline let capacity: Int
    @usableFromInline let accumulators: UnsafeMutablePointer<Accumulator>
    @usableFromInline let present: UnsafeMutablePointer<UInt64>
    /// Set bits in `present`. Unchecked, as `KeyedStateTable.Storage.count`: only the store that
    /// owns the column writes it, never in overlapping accesses.
    @exclusivity(unchecked) @usableFromInline var presentCount = 0

    /// An empty column of `capacity` slots for the pane at `start`; with `copying`, a copy of that
    /// column's slots (and its pane), grown to `capacity`.
    @usableFromInline init(start: EventTime, capacity: Int, empty: Accumulator, copying other: PaneColumn? = nil) {
        precondition(capacity % 64 == 0 && capacity >= (other?.capacity ?? 0), "a column's capacity is whole words of slots")
        self.start = other?.start ?? start
        self.capacity = capacity
        accumulators = .allocate(capacity: capacity)
        present = .allocate(capacity: capacity / 64)
        let copied = other?.capacity ?? 0
        if let other {
            accumulators.initialize(from: other.accumulators, count: copied)
            present.initialize(from: other.present, count: copied / 64)
            presentCount = other.presentCount
        }
        (accumulators + copied).initialize(repeating: empty, count: capacity - copied)
        (present + copied / 64).initialize(repeating: 0, count: (capacity - copied) / 64)
    }

    deinit {
        accumulators.deinitialize(count: capacity)
        accumulators.deallocate()
        present.deallocate()
    }

    /// Words in `present`.
    @inlinable var words: Int { capacity &>> 6 }

    @inlinable func contains(_ slot: Int) -> Bool {
        present[slot &>> 6] & (1 &<< UInt64(slot & 63)) != 0
    }

    /// Makes the absent `slot` present, holding `accumulator`.
    @inlinable func insert(_ slot: Int, _ accumulator: Accumulator) {
        accumulators[slot] = accumulator
        present[slot &>> 6] |= 1 &<< UInt64(slot & 63)
        presentCount &+= 1
    }

    /// Calls `body` with each present slot, in slot order.
    @inlinable func forEachPresentSlot(_ body: (Int) throws -> Void) rethrows {
        for word in 0..<words {
            var bits = present[word]
            while bits != 0 {
                try body(word &<< 6 | bits.trailingZeroBitCount)
                bits &= bits &- 1
            }
        }
    }

    /// Empties the column to reuse its buffers for the pane at `start`. Plain accumulators stay,
    /// stale, until their slots are present again; others (a window's records, a list) become
    /// `empty`, so that the column does not hold on to what they hold.
    @usableFromInline func reset(start: EventTime, empty: Accumulator) {
        if !_isPOD(Accumulator.self) {
            forEachPresentSlot { accumulators[$0] = empty }
        }
        self.start = start
        present.update(repeating: 0, count: words)
        presentCount = 0
    }
}
