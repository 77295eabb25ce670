/// Sizing, growing and splitting shards: the rare paths, kept out of line so that the inlined
/// update stays small.
extension KeyedStateTable {
    /// Hash bits that choose a shard once the table is split.
    @inlinable
    static var shardBits: Int { 6 }

    @inlinable
    static var shardCount: Int { 1 << shardBits }

    /// The total slots at which a single shard splits instead of doubling. Below it a copy of the
    /// whole table is short (the checkpoint-state benchmark copies 4096-slot shards of 80-byte
    /// entries in about 0.2 ms) and a small table keeps one allocation of each array; at it the
    /// split costs no memory, as the shards together have as many slots as the doubled table.
    @inlinable
    static var splitCapacity: Int { 1 << 13 }

    /// Whether the table is cut into `shardCount` shards.
    var isSharded: Bool { shards.count > 1 }

    /// Shards for `count` keys: one, or `shardCount` if one would reach `splitCapacity`.
    @usableFromInline
    static func makeShards(for count: Int) -> ContiguousArray<Storage> {
        let single = capacity(for: count)
        guard single >= splitCapacity else { return [Storage(capacity: single)] }
        let each = capacity(for: keysPerShard(count))
        return ContiguousArray((0..<shardCount).lazy.map { _ in Storage(capacity: each) })
    }

    /// The keys to plan one shard for when `count` spread over all of them: the mean and three
    /// standard deviations, as hashes spread binomially, so that a bulk insert rarely grows one.
    static func keysPerShard(_ count: Int) -> Int {
        let mean = (count + shardCount - 1) / shardCount
        var deviation = 1
        while deviation * deviation < mean { deviation += 1 }
        return mean + 3 * deviation
    }

    /// Makes the shard of `tag` this table's own, with room for one more key, and returns its
    /// index (which a split changes).
    @usableFromInline
    mutating func makeRoom(forTag tag: UInt64) -> Int {
        let index = Self.shardIndex(tag, mask: shardMask)
        if shards[index].isFull {
            grow(shard: index)
        } else if !isKnownUniquelyReferenced(&shards[index]) {
            shards[index] = shards[index].copy(capacity: shards[index].capacity)
        }
        return Self.shardIndex(tag, mask: shardMask)
    }

    /// Makes room in a full shard: doubles it or, for a single shard that would reach
    /// `splitCapacity`, splits the table.
    mutating func grow(shard index: Int) {
        let doubled = shards[index].capacity * 2
        if shards.count == 1 && doubled >= Self.splitCapacity {
            split(shardCapacity: doubled / Self.shardCount)
        } else {
            shards[index] = shards[index].copy(capacity: doubled)
        }
    }

    /// Replaces the single shard by `shardCount` shards of at least `shardCapacity` slots (more
    /// for a shard that gets more keys: a stable hash with poor high bits must not overfill one).
    mutating func split(shardCapacity: Int) {
        let source = shards[0]
        var counts = [Int](repeating: 0, count: Self.shardCount)
        let mask = Self.shardCount - 1
        for slot in 0..<source.capacity where source.tags[slot] != 0 {
            counts[Self.shardIndex(source.tags[slot], mask: mask)] += 1
        }
        let split = ContiguousArray(counts.map { Storage(capacity: max(shardCapacity, Self.capacity(for: $0 + 1))) })
        for slot in 0..<source.capacity where source.tags[slot] != 0 {
            let tag = source.tags[slot]
            split[Self.shardIndex(tag, mask: mask)].insertNew(tag: tag, key: source.keys[slot], value: source.values[slot])
        }
        shards = split
        shardMask = mask
    }

    /// Makes room for `additional` more keys without growing again (before a bulk insert: growing
    /// while inserting in another table's slot order builds long probe chains). Shards that have
    /// room already are left as they are, shared with any snapshot.
    public mutating func reserveCapacity(_ additional: Int) {
        let total = count + additional
        if shards.count == 1 {
            let needed = Self.capacity(for: total)
            if needed >= Self.splitCapacity {
                split(shardCapacity: Self.capacity(for: Self.keysPerShard(total)))
            } else if needed > shards[0].capacity {
                shards[0] = shards[0].copy(capacity: needed)
            }
            return
        }
        let more = Self.keysPerShard(additional)
        for index in shards.indices {
            let needed = Self.capacity(for: shards[index].count + more)
            if needed > shards[index].capacity { shards[index] = shards[index].copy(capacity: needed) }
        }
    }
}
