import Foundation

/// Exponential decay without touching every score as time passes: a weight added at time `t`
/// is stored multiplied by `2^((t - epoch) / halfLife)`, so that comparing stored scores compares
/// their values at any common later time. Before the factors grow out of Double's range, the
/// epoch moves forward and every stored score is divided by the same amount.
public struct DecayClock: Sendable, Codable, Equatable {
    public let halfLife: Int64
    public private(set) var epoch: Int64?

    /// Half-lives after the epoch at which it moves: 2^256 keeps far from Double's range.
    static let rebaseAfter = 256.0

    public init(halfLife: Int64) {
        self.halfLife = halfLife
    }

    /// The factor that scales a weight added at `time`; non-nil `rebase` means every stored
    /// score must first be multiplied by it.
    public mutating func factor(at time: Int64) -> (factor: Double, rebase: Double?) {
        guard let current = epoch else {
            epoch = time
            return (1, nil)
        }
        let halfLives = Double(time - current) / Double(halfLife)
        guard halfLives > Self.rebaseAfter else { return (exp2(Swift.max(halfLives, -Self.rebaseAfter)), nil) }
        epoch = time
        return (1, exp2(-halfLives))
    }
}
