/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, deterministic 64-bit generator.
///
/// The generator draws each event from its own stream, started at a hash of
/// (seed, event number), so any event can be produced on its own (`event(at:)`) and
/// ranges of events can be generated independently, as in the Java reference, which
/// seeds a `java.util.Random` per event.
struct SplitMix64 {
    /// The golden-ratio increment.
    static let gamma: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The current state.
    var state: UInt64

    @inline(__always)
    init(state: UInt64) { self.state = state }

    /// The SplitMix64 output function (a bijective 64-bit mixer).
    @inline(__always)
    static func mix(_ z0: UInt64) -> UInt64 {
        var z = z0
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    @inline(__always)
    mutating func nextDouble() -> Double {
        Double(next() &>> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (`0` when `bound == 0`), by multiply-high;
    /// the same as `int(random() * bound)` up to a negligible bias.
    @inline(__always)
    mutating func nextInt(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}
