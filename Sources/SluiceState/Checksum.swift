/// Checksums for checkpoint files.
public enum Checksum {
    /// XXH64 (xxHash, 64-bit) of `bytes`, the checksum of snapshot contents and checkpoint files.
    ///
    /// ```swift
    /// Checksum.xxh64(Array("abc".utf8))   // 0x44BC2CF5AD770999
    /// ```
    @inlinable
    public static func xxh64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var hasher = XXH64(seed: seed)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// XXH64 of the bytes of an array (or any contiguous collection of bytes).
    @inlinable
    public static func xxh64<Bytes: Collection<UInt8>>(_ bytes: Bytes, seed: UInt64 = 0) -> UInt64 {
        if let hash = bytes.withContiguousStorageIfAvailable({ xxh64(UnsafeRawBufferPointer($0), seed: seed) }) {
            return hash
        }
        return Array(bytes).withUnsafeBytes { xxh64($0, seed: seed) }
    }
}

/// XXH64 computed over bytes that arrive in pieces (a file read in blocks): the same value as
/// `Checksum.xxh64` of all the pieces joined.
public struct XXH64: Sendable {
    @usableFromInline static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    @usableFromInline var seed: UInt64
    @usableFromInline var v1: UInt64
    @usableFromInline var v2: UInt64
    @usableFromInline var v3: UInt64
    @usableFromInline var v4: UInt64
    @usableFromInline var totalLength: UInt64 = 0
    /// Bytes not yet making up a 32-byte stripe (fewer than 32 are kept).
    @usableFromInline var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    @usableFromInline var pendingCount = 0

    @inlinable
    public init(seed: UInt64 = 0) {
        self.seed = seed
        v1 = seed &+ Self.prime1 &+ Self.prime2
        v2 = seed &+ Self.prime2
        v3 = seed
        v4 = seed &- Self.prime1
    }

    @inlinable
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var base = bytes.baseAddress, bytes.count > 0 else { return }
        var count = bytes.count
        totalLength &+= UInt64(count)
        if pendingCount > 0 {
            let take = min(32 - pendingCount, count)
            withUnsafeMutableBytes(of: &pending) { buffer in
                (buffer.baseAddress! + pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            base += take
            count -= take
            if pendingCount < 32 { return }
            let stripe = pending
            consumeStripe(UInt64(littleEndian: stripe.0), UInt64(littleEndian: stripe.1),
                          UInt64(littleEndian: stripe.2), UInt64(littleEndian: stripe.3))
            pendingCount = 0
        }
        if count >= 32 {
            var a = v1, b = v2, c = v3, d = v4
            let end = base + (count & ~31)
            while base < end {
                a = Self.round(a, UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
                b = Self.round(b, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                c = Self.round(c, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 16, as: UInt64.self)))
                d = Self.round(d, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
                base += 32
            }
            v1 = a; v2 = b; v3 = c; v4 = d
            count &= 31
        }
        if count > 0 {
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: base, byteCount: count)
            }
            pendingCount = count
        }
    }

    /// The hash of everything passed to `update` so far.
    @inlinable
    public func finalize() -> UInt64 {
        var hash: UInt64
        if totalLength >= 32 {
            hash = Self.rotate(v1, 1) &+ Self.rotate(v2, 7) &+ Self.rotate(v3, 12) &+ Self.rotate(v4, 18)
            hash = Self.merge(hash, v1)
            hash = Self.merge(hash, v2)
            hash = Self.merge(hash, v3)
            hash = Self.merge(hash, v4)
        } else {
            hash = seed &+ Self.prime5
        }
        hash &+= totalLength
        var tail = pending
        let count = pendingCount
        withUnsafeBytes(of: &tail) { buffer in
            var offset = 0
            while offset + 8 <= count {
                let lane = Self.round(0, UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
                hash ^= lane
                hash = Self.rotate(hash, 27) &* Self.prime1 &+ Self.prime4
                offset += 8
            }
            if offset + 4 <= count {
                hash ^= UInt64(UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) &* Self.prime1
                hash = Self.rotate(hash, 23) &* Self.prime2 &+ Self.prime3
                offset += 4
            }
            while offset < count {
                hash ^= UInt64(buffer[offset]) &* Self.prime5
                hash = Self.rotate(hash, 11) &* Self.prime1
                offset += 1
            }
        }
        hash ^= hash >> 33
        hash &*= Self.prime2
        hash ^= hash >> 29
        hash &*= Self.prime3
        hash ^= hash >> 32
        return hash
    }

    @inlinable
    mutating func consumeStripe(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        v1 = Self.round(v1, a)
        v2 = Self.round(v2, b)
        v3 = Self.round(v3, c)
        v4 = Self.round(v4, d)
    }

    @inlinable @inline(__always)
    static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inlinable @inline(__always)
    static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        rotate(accumulator &+ input &* prime2, 31) &* prime1
    }

    @inlinable @inline(__always)
    static func merge(_ hash: UInt64, _ accumulator: UInt64) -> UInt64 {
        (hash ^ round(0, accumulator)) &* prime1 &+ prime4
    }
}
