/// A key that can partition a stream: its hash is the same in every process and every run,
/// unlike Swift's per-process seeded `Hasher`, so that key groups survive a restart.
public protocol PartitionKey: Hashable, Sendable {
    /// A hash that depends only on the key's value.
    var stableHash: UInt64 { get }
}

/// Mixes 64 bits so that nearby integers spread over all key groups (the murmur3 finaliser).
@inlinable
public func stableMix(_ value: UInt64) -> UInt64 {
    var x = value
    x ^= x >> 33
    x &*= 0xff51_afd7_ed55_8ccd
    x ^= x >> 33
    x &*= 0xc4ce_b9fe_1a85_ec53
    x ^= x >> 33
    return x
}

/// FNV-1a over bytes, finished with `stableMix`.
@inlinable
public func stableHash<Bytes: Sequence<UInt8>>(bytes: Bytes) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h &*= 0x100_0000_01b3
    }
    return stableMix(h)
}

extension Int: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(UInt64(bitPattern: Int64(self))) }
}
extension Int64: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(UInt64(bitPattern: self)) }
}
extension Int32: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(UInt64(bitPattern: Int64(self))) }
}
extension UInt64: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(self) }
}
extension UInt32: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(UInt64(self)) }
}
extension Bool: PartitionKey {
    @inlinable public var stableHash: UInt64 { stableMix(self ? 1 : 0) }
}
extension String: PartitionKey {
    @inlinable public var stableHash: UInt64 { SluiceCore.stableHash(bytes: utf8) }
}
