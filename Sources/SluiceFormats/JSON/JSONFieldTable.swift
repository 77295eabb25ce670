/// The members of the line being decoded, in line order, in storage reused from line to line.
///
/// Manually managed so that appending costs a store and a compare; the owner calls `deallocate()`.
struct JSONFieldTable {
    private(set) var fields: UnsafeMutablePointer<JSONField>
    private(set) var count = 0
    private var capacity: Int
    /// Some key has an escape or non-ASCII bytes: look keys up by `String` equality, as Foundation does.
    private(set) var hasComplexKeys = false
    /// Two keys may be equal (a cheap filter over length and end bytes said so): lookups must find
    /// the first of equal keys, as Foundation does, instead of trusting the next-expected guess.
    private(set) var mayHaveDuplicateKeys = false
    private var keyFilter: (UInt64, UInt64) = (0, 0)

    init(capacity: Int = 16) {
        self.capacity = capacity
        fields = .allocate(capacity: capacity)
    }

    func deallocate() { fields.deallocate() }

    mutating func reset() {
        count = 0
        hasComplexKeys = false
        mayHaveDuplicateKeys = false
        keyFilter = (0, 0)
    }

    @inline(__always)
    subscript(index: Int) -> JSONField { fields[index] }

    /// Adds a member, to be filled in through the pointer returned.
    @inline(__always)
    mutating func appendSlot() -> UnsafeMutablePointer<JSONField> {
        if count == capacity { grow() }
        let slot = fields + count
        count &+= 1
        return slot
    }

    /// Notes a member's key: its length, flags, and first and last bytes (0 when empty).
    @inline(__always)
    mutating func noteKey(count keyCount: Int, flags keyFlags: JSONField.Flags, first: UInt8, last: UInt8) {
        if !keyFlags.isEmpty { hasComplexKeys = true }
        let hash = (UInt32(first) &* 7) ^ (UInt32(last) &* 13) ^ (UInt32(truncatingIfNeeded: keyCount) &* 31)
        let bit: UInt64 = 1 << UInt64(hash & 63)
        if hash & 64 == 0 {
            if keyFilter.0 & bit != 0 { mayHaveDuplicateKeys = true }
            keyFilter.0 |= bit
        } else {
            if keyFilter.1 & bit != 0 { mayHaveDuplicateKeys = true }
            keyFilter.1 |= bit
        }
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<JSONField>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: fields, count: count)
        fields.deallocate()
        fields = bigger
        capacity *= 2
    }
}
