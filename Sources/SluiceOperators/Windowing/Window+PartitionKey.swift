import SluiceCore

/// Windows can key an exchange: the top-N step after a window aggregation partitions its input by
/// window, so that all results of one window meet in one instance.
extension Window: PartitionKey {
    /// A hash of both bounds that is the same in every process and run.
    @inlinable
    public var stableHash: UInt64 {
        stableMix(UInt64(bitPattern: start) &* 0x9e37_79b9_7f4a_7c15 ^ UInt64(bitPattern: end))
    }
}
