import CPrefetch
extension KeyedStateTable {
    /// One shard: an open-addressing table with linear probing in three parallel arrays; `keys`
    /// and `values` are initialised where `tags` is non-zero.
    ///
    /// A class so that a shard is shared between a table and its snapshot copies until one of
    /// them writes to it; the table checks uniqueness before every write.
    @usableFromInline
    final class Storage {
        @usableFromInline let capacity: Int
        /// Unchecked: only the table that owns this shard uniquely writes `count`, in accesses that
        /// never overlap, and the dynamic check of a class property is a runtime call on every read
        /// and write of it, one or two per update.
        @exclusivity(unchecked) @usableFromInline var count = 0
        @usableFromInline let tags: UnsafeMutablePointer<UInt64>
        @usableFromInline let keys: UnsafeMutablePointer<Key>
        @usableFromInline let values: UnsafeMutablePointer<Value>

        /// The slot where probing for `tag` starts. Not the tag's lowest bits: those choose the
        /// key group (`hash % maxParallelism`), so all keys of one instance share some of them, and
        /// slots from them would leave part of every table unused and the probe chains long.
        @inlinable @inline(__always)
        static func home(_ tag: UInt64, mask: Int) -> Int {
            Int(truncatingIfNeeded: tag >> 16) & mask
        }

        @usableFromInline
        init(capacity: Int) {
            precondition(capacity > 0 && capacity & (capacity - 1) == 0, "a shard's capacity is a power of two")
            self.capacity = capacity
            tags = .allocate(capacity: capacity)
            tags.initialize(repeating: 0, count: capacity)
            keys = .allocate(capacity: capacity)
            values = .allocate(capacity: capacity)
        }

        deinit {
            for slot in 0..<capacity where tags[slot] != 0 {
                (keys + slot).deinitialize(count: 1)
                (values + slot).deinitialize(count: 1)
            }
            tags.deallocate()
            keys.deallocate()
            values.deallocate()
        }

        /// Whether one more key would push the load past 3/4, where linear probes grow long.
        @inlinable
        var isFull: Bool { (count + 1) * 4 > capacity * 3 }

        /// A copy with `capacity` slots (at least this one's count), entries rehashed by tag.
        @usableFromInline
        func copy(capacity newCapacity: Int) -> Storage {
            let copy = Storage(capacity: newCapacity)
            for slot in 0..<capacity where tags[slot] != 0 {
                copy.insertNew(tag: tags[slot], key: keys[slot], value: values[slot])
            }
            return copy
        }

        /// Adds an entry whose key is known to be absent (copying, growing, splitting).
        @usableFromInline
        func insertNew(tag: UInt64, key: Key, value: Value) {
            let mask = capacity - 1
            var slot = Storage.home(tag, mask: mask)
            while tags[slot] != 0 { slot = (slot + 1) & mask }
            tags[slot] = tag
            (keys + slot).initialize(to: key)
            (values + slot).initialize(to: value)
            count += 1
        }

        @inlinable
        func find(_ key: Key, tag: UInt64) -> Int? {
            let mask = capacity - 1
            var slot = Storage.home(tag, mask: mask)
            while true {
                let current = tags[slot]
                if current == 0 { return nil }
                if current == tag && keys[slot] == key { return slot }
                slot = (slot + 1) & mask
            }
        }

        /// Where the value of `key` is; for a new key (`isNew`) the key is stored and counted and
        /// the value left for the caller to initialise. The shard must have room for one more.
        @inlinable @inline(__always)
        func entry(for key: Key, tag: UInt64) -> (value: UnsafeMutablePointer<Value>, isNew: Bool) {
            let mask = capacity - 1
            var slot = Storage.home(tag, mask: mask)
            while true {
                let current = tags[slot]
                if current == 0 {
                    tags[slot] = tag
                    (keys + slot).initialize(to: key)
                    count += 1
                    return (values + slot, true)
                }
                if current == tag && keys[slot] == key { return (values + slot, false) }
                slot = (slot + 1) & mask
            }
        }

        /// Removes with backward-shift deletion, so lookups never need tombstones.
        @inlinable
        func remove(_ key: Key, tag: UInt64) -> Value? {
            guard let slot = find(key, tag: tag) else { return nil }
            return removeEntry(at: slot)
        }

        /// Removes the entry at `slot` and shifts the rest of its cluster back into the hole: only
        /// entries after `slot` (cyclically, up to the cluster's end) move.
        @inlinable
        func removeEntry(at slot: Int) -> Value {
            var hole = slot
            (keys + hole).deinitialize(count: 1)
            let removed = (values + hole).move()
            tags[hole] = 0
            count -= 1
            let mask = capacity - 1
            var slot = (hole + 1) & mask
            while tags[slot] != 0 {
                let home = Storage.home(tags[slot], mask: mask)
                // Move the entry into the hole unless its home lies cyclically in (hole, slot].
                let distanceToSlot = (slot - home) & mask
                let distanceToHole = (hole - home) & mask
                if distanceToHole < distanceToSlot {
                    tags[hole] = tags[slot]
                    (keys + hole).moveInitialize(from: keys + slot, count: 1)
                    (values + hole).moveInitialize(from: values + slot, count: 1)
                    tags[slot] = 0
                    hole = slot
                }
                slot = (slot + 1) & mask
            }
            return removed
        }

        /// Calls `body` on every value in place and removes the entries for which it returns
        /// `false`. Each entry is visited exactly once: the scan starts after an empty slot and
        /// goes round the table, so no cluster straddles its start, and a removal only shifts
        /// entries not yet visited back into the hole, which is visited again.
        @inlinable
        func updateOrRemoveEach(prefetching address: (borrowing Value) -> UnsafeRawPointer?,
                                _ body: (Key, inout Value) throws -> Bool) rethrows {
            guard count > 0 else { return }
            let mask = capacity - 1
            var start = 0
            while tags[start] != 0 { start += 1 }  // the load is at most 3/4: there is an empty slot
            var slot = (start + 1) & mask
            var remaining = capacity - 1
            while remaining > 0 {
                let ahead = (slot + Self.prefetchDistance) & mask
                if tags[ahead] != 0, let address = address(values[ahead]) { sluice_prefetch(address) }
                if tags[slot] != 0, try !body(keys[slot], &values[slot]) {
                    _ = removeEntry(at: slot)
                    continue
                }
                slot = (slot + 1) & mask
                remaining -= 1
            }
        }

        /// How many slots ahead of the one being updated `updateOrRemoveEach` prefetches: enough
        /// for a miss to complete while the slots before it are updated.
        @inlinable static var prefetchDistance: Int { 16 }

        /// Calls `body` for every entry, in slot order.
        @usableFromInline
        func forEach(_ body: (Key, Value) throws -> Void) rethrows {
            for slot in 0..<capacity where tags[slot] != 0 {
                try body(keys[slot], values[slot])
            }
        }
    }
}
