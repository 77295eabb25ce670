import SluiceCore

/// The state of a keyed operator instance: a value per key, in open-addressing hash tables
/// indexed by the key's stable hash.
///
/// Compared with `Dictionary` it hashes each key once with `stableHash` (which routing computes
/// anyway) instead of SipHash, probes a flat array of hash tags before touching keys, and keeps
/// the hash with every entry, so splitting state by key group for a snapshot needs no rehash.
/// It is a value type with copy-on-write storage: a snapshot is a cheap copy that the operator
/// keeps mutating while another thread serialises the copy.
///
/// A large table is cut into `shardCount` shards by hash bits that neither the slot index in a
/// shard (low bits) nor the key group (`hash % maxParallelism`) uses, each shard its own
/// copy-on-write storage: the first write after a snapshot copies only the shard it touches, so
/// the copy is spread over the following updates instead of stalling the operator for the whole
/// table (and growing, too, rehashes one shard at a time). A small table is a single shard, so
/// that it does not pay for `shardCount` allocations; it splits when it grows past
/// `splitCapacity` slots.
public struct KeyedStateTable<Key: PartitionKey, Value> {
    /// One shard, or `shardCount`; a key's shard is `shardIndex(tag, mask: shardMask)`.
    @usableFromInline var shards: ContiguousArray<Storage>
    /// `shards.count - 1`: zero for a single shard, so the same index computation serves both.
    @usableFromInline var shardMask: Int

    @inlinable
    public init(minimumCapacity: Int = 16) {
        shards = Self.makeShards(for: minimumCapacity)
        shardMask = shards.count - 1
    }

    /// The number of keys with a value.
    public var count: Int { shards.reduce(0) { $0 + $1.count } }
    @inlinable public var isEmpty: Bool { shards.allSatisfy { $0.count == 0 } }

    /// Calls `body` with the value of `key`, inserting `defaultValue()` first if it has none.
    @inlinable @inline(__always)
    public mutating func update<Result>(_ key: Key, default defaultValue: () -> Value,
                                        _ body: (inout Value) throws -> Result) rethrows -> Result {
        try update(key, hash: key.stableHash, default: defaultValue, body)
    }

    /// As `update(_:default:_:)`, with the key's `stableHash` already computed.
    ///
    /// Both updates are always inlined, as the single table's were by the optimiser's choice:
    /// called, they take their closures as contexts and indirect calls, which cost more than the
    /// update's own work.
    @inlinable @inline(__always)
    public mutating func update<Result>(_ key: Key, hash: UInt64, default defaultValue: () -> Value,
                                        _ body: (inout Value) throws -> Result) rethrows -> Result {
        let tag = Self.tag(hash)
        var index = Self.shardIndex(tag, mask: shardMask)
        if !isKnownUniquelyReferenced(&shards[index]) || shards[index].isFull {
            index = makeRoom(forTag: tag)
        }
        // A pointer rather than the shard: holding the shard across a call of a closure costs a
        // retain and a release. The value stays put while the closures run, as they cannot reach
        // this table (the update has it exclusively), nor see the new entry before its value.
        let entry = shards[index].entry(for: key, tag: tag)
        if entry.isNew { entry.value.initialize(to: defaultValue()) }
        return try body(&entry.value.pointee)
    }

    /// The value of `key`, if any.
    @inlinable
    public subscript(key: Key) -> Value? {
        let tag = Self.tag(key.stableHash)
        let storage = shards[Self.shardIndex(tag, mask: shardMask)]
        guard let slot = storage.find(key, tag: tag) else { return nil }
        return storage.values[slot]
    }

    /// What `read` makes of the value of `key`, read in place (the value is not copied: no
    /// retain of what it holds), or nil when `key` has none.
    @inlinable
    public func withValue<Result>(forKey key: Key, _ read: (borrowing Value) throws -> Result) rethrows -> Result? {
        let tag = Self.tag(key.stableHash)
        let storage = shards[Self.shardIndex(tag, mask: shardMask)]
        guard let slot = storage.find(key, tag: tag) else { return nil }
        return try read(storage.values[slot])
    }

    /// Removes `key` and returns its value, if it had one. A key that is absent copies nothing.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        let tag = Self.tag(key.stableHash)
        let index = Self.shardIndex(tag, mask: shardMask)
        if !isKnownUniquelyReferenced(&shards[index]) {
            guard shards[index].find(key, tag: tag) != nil else { return nil }
            shards[index] = shards[index].copy(capacity: shards[index].capacity)
        }
        return shards[index].remove(key, tag: tag)
    }

    /// Calls `body` on every key's value in place, in no particular order, and removes the keys
    /// for which it returns `false`: one sequential pass over the table, for work that touches
    /// most keys (firing a window all keys share), where a lookup per key would miss the cache
    /// once or more per key. `body` must not reach this table.
    ///
    /// `prefetching` names, for a value, memory it points to that `body` will read (a buffer of
    /// the value's), or `nil`: the pass prefetches it some entries ahead, so that those misses
    /// overlap instead of stalling one key at a time.
    @inlinable
    public mutating func updateOrRemoveEach(prefetching address: (borrowing Value) -> UnsafeRawPointer? = { _ in nil },
                                            _ body: (Key, inout Value) throws -> Bool) rethrows {
        for index in shards.indices {
            if !isKnownUniquelyReferenced(&shards[index]) {
                shards[index] = shards[index].copy(capacity: shards[index].capacity)
            }
            try shards[index].updateOrRemoveEach(prefetching: address, body)
        }
    }

    /// Calls `body` for every key and value, in no particular order (shard by shard, each in
    /// slot order).
    public func forEach(_ body: (Key, Value) throws -> Void) rethrows {
        for storage in shards { try storage.forEach(body) }
    }

    /// Every key's hash carries a set top bit, so that a zero tag means an empty slot.
    @usableFromInline
    static func tag(_ hash: UInt64) -> UInt64 { hash | (1 << 63) }

    /// The shard of a tag: bits 57–62 (bit 63 is always set), masked to the number of shards.
    @inlinable
    static func shardIndex(_ tag: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: tag &>> UInt64(63 - shardBits)) & mask
    }

    /// The fewest slots, a power of two, that hold `count` keys at a load of at most 3/4.
    @usableFromInline
    static func capacity(for count: Int) -> Int {
        var capacity = 16
        while capacity * 3 < count * 4 { capacity *= 2 }
        return capacity
    }
}
