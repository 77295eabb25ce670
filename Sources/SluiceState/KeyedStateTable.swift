import SluiceCore

/// The state of a keyed operator instance: a value per key, in an open-addressing hash table
/// indexed by the key's stable hash.
///
/// Compared with `Dictionary` it hashes each key once with `stableHash` (which routing computes
/// anyway) instead of SipHash, probes a flat array of hash tags before touching keys, and keeps
/// the hash with every entry, so splitting state by key group for a snapshot needs no rehash.
/// It is a value type with copy-on-write storage: a snapshot is a cheap copy that the operator
/// keeps mutating while another thread serialises the copy.
public struct KeyedStateTable<Key: PartitionKey, Value> {
    @usableFromInline var storage: Storage

    @inlinable
    public init(minimumCapacity: Int = 16) {
        storage = Storage(capacity: Self.capacity(for: minimumCapacity))
    }

    /// The number of keys with a value.
    public var count: Int { storage.count }
    public var isEmpty: Bool { storage.count == 0 }

    /// Makes room for `additional` more keys without growing again (before a bulk insert: growing
    /// while inserting in another table's slot order builds long probe chains).
    public mutating func reserveCapacity(_ additional: Int) {
        let needed = Self.capacity(for: storage.count + additional)
        if needed > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy(capacity: max(needed, storage.capacity))
        }
    }

    /// Calls `body` with the value of `key`, inserting `defaultValue()` first if it has none.
    @inlinable
    public mutating func update<Result>(_ key: Key, default defaultValue: () -> Value,
                                        _ body: (inout Value) throws -> Result) rethrows -> Result {
        try update(key, hash: key.stableHash, default: defaultValue, body)
    }

    /// As `update(_:default:_:)`, with the key's `stableHash` already computed.
    @inlinable
    public mutating func update<Result>(_ key: Key, hash: UInt64, default defaultValue: () -> Value,
                                        _ body: (inout Value) throws -> Result) rethrows -> Result {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(capacity: storage.capacity) }
        if (storage.count + 1) * 4 > storage.capacity * 3 { storage = storage.copy(capacity: storage.capacity * 2) }
        let slot = storage.findOrInsert(key, tag: Self.tag(hash), default: defaultValue)
        return try body(&storage.values[slot])
    }

    /// The value of `key`, if any.
    @inlinable
    public subscript(key: Key) -> Value? {
        guard let slot = storage.find(key, tag: Self.tag(key.stableHash)) else { return nil }
        return storage.values[slot]
    }

    /// Removes `key` and returns its value, if it had one.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy(capacity: storage.capacity) }
        return storage.remove(key, tag: Self.tag(key.stableHash))
    }

    /// Calls `body` for every key and value, in no particular order.
    public func forEach(_ body: (Key, Value) throws -> Void) rethrows {
        for slot in 0..<storage.capacity where storage.tags[slot] != 0 {
            try body(storage.keys[slot], storage.values[slot])
        }
    }

    /// Every key's hash carries a set top bit, so that a zero tag means an empty slot.
    @usableFromInline
    static func tag(_ hash: UInt64) -> UInt64 { hash | (1 << 63) }

    @usableFromInline
    static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity * 3 < count * 4 { capacity *= 2 }
        return capacity
    }

    /// Slots in three parallel arrays; `keys` and `values` are initialised where `tags` is non-zero.
    @usableFromInline
    final class Storage {
        @usableFromInline let capacity: Int
        @usableFromInline var count = 0
        @usableFromInline let tags: UnsafeMutablePointer<UInt64>
        @usableFromInline let keys: UnsafeMutablePointer<Key>
        @usableFromInline let values: UnsafeMutablePointer<Value>

        @usableFromInline
        init(capacity: Int) {
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

        /// A copy with `capacity` slots (at least this one's count), entries rehashed by tag.
        @usableFromInline
        func copy(capacity newCapacity: Int) -> Storage {
            let copy = Storage(capacity: newCapacity)
            for slot in 0..<capacity where tags[slot] != 0 {
                var target = Int(truncatingIfNeeded: tags[slot]) & (newCapacity - 1)
                while copy.tags[target] != 0 { target = (target + 1) & (newCapacity - 1) }
                copy.tags[target] = tags[slot]
                (copy.keys + target).initialize(to: keys[slot])
                (copy.values + target).initialize(to: values[slot])
            }
            copy.count = count
            return copy
        }

        @inlinable
        func find(_ key: Key, tag: UInt64) -> Int? {
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: tag) & mask
            while true {
                let current = tags[slot]
                if current == 0 { return nil }
                if current == tag && keys[slot] == key { return slot }
                slot = (slot + 1) & mask
            }
        }

        @inlinable
        func findOrInsert(_ key: Key, tag: UInt64, default defaultValue: () -> Value) -> Int {
            let mask = capacity - 1
            var slot = Int(truncatingIfNeeded: tag) & mask
            while true {
                let current = tags[slot]
                if current == 0 {
                    tags[slot] = tag
                    (keys + slot).initialize(to: key)
                    (values + slot).initialize(to: defaultValue())
                    count += 1
                    return slot
                }
                if current == tag && keys[slot] == key { return slot }
                slot = (slot + 1) & mask
            }
        }

        /// Removes with backward-shift deletion, so lookups never need tombstones.
        @inlinable
        func remove(_ key: Key, tag: UInt64) -> Value? {
            guard var hole = find(key, tag: tag) else { return nil }
            (keys + hole).deinitialize(count: 1)
            let removed = (values + hole).move()
            tags[hole] = 0
            count -= 1
            let mask = capacity - 1
            var slot = (hole + 1) & mask
            while tags[slot] != 0 {
                let home = Int(truncatingIfNeeded: tags[slot]) & mask
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
    }
}
