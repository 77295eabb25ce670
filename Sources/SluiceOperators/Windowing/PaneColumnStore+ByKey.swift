import SluiceCore

// Moving the state of a `PaneColumnStore` to and from the layout by key (`PaneWindowStore`):
// when records come too far apart for columns, when a checkpoint is restored, and to lay the
// columns out again, smaller.
extension PaneColumnStore {
    /// Calls `body` with every key and its panes (by start), in slot order.
    @usableFromInline func forEachKey(_ body: (Key, ContiguousArray<PaneWindowStore<Key, A>.Pane>) throws -> Void) rethrows {
        var panes = ContiguousArray<PaneWindowStore<Key, A>.Pane>()
        for word in occupied.indices {
            var bits = occupied[word]
            while bits != 0 {
                let slot = word &<< 6 | bits.trailingZeroBitCount
                bits &= bits &- 1
                panes.removeAll(keepingCapacity: true)
                for column in columns where column.contains(slot) {
                    panes.append(.init(start: column.start, accumulator: column.accumulators[slot]))
                }
                try body(keyOfSlot[slot], panes)
            }
        }
    }

    /// The same state laid out by key, for records too far apart in time for columns.
    @usableFromInline func byKey() -> PaneWindowStore<Key, A> {
        var store = PaneWindowStore<Key, A>(size: geometry.size, slide: geometry.slide,
                                            allowedLateness: geometry.allowedLateness, aggregator: aggregator)
        store.watermark = watermark
        forEachKey { key, panes in store.insert(key, panes: panes) }
        return store
    }

    /// The state of `store` laid out by pane, or `nil` if its panes span too many columns.
    @usableFromInline init?(byPane store: PaneWindowStore<Key, A>) {
        self.init(size: store.size, slide: store.slide, allowedLateness: store.allowedLateness, aggregator: store.aggregator)
        watermark = store.watermark
        var fits = true
        store.keys.forEach { key, state in
            if fits { fits = insert(key, panes: state.panes) }
        }
        guard fits else { return nil }
    }

    /// The same state in columns as small as its keys need, without the slots of keys gone.
    @usableFromInline func compacted() -> PaneColumnStore {
        var compacted = PaneColumnStore(size: geometry.size, slide: geometry.slide,
                                        allowedLateness: geometry.allowedLateness, aggregator: aggregator)!
        compacted.watermark = watermark
        forEachKey { key, panes in
            // The panes came from these columns, so they fit.
            _ = compacted.insert(key, panes: panes)
        }
        return compacted
    }

    /// Adds `key`, which has no panes yet, with `panes`; `false` if one of them would make the
    /// columns span too many panes (the panes before it are in).
    @usableFromInline mutating func insert(_ key: Key, panes: ContiguousArray<PaneWindowStore<Key, A>.Pane>) -> Bool {
        for pane in panes {
            guard let index = columnIndex(startingAt: pane.start) else { return false }
            // The slot first: handing it out may grow the columns, replacing them.
            let slot = slot(for: key)
            columns[index].insert(slot, pane.accumulator)
            paneCount += 1
        }
        return true
    }
}
