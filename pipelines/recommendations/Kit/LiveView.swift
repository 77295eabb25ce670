import Synchronization

/// The read side of the recommender: the latest list of every active user and the latest
/// trending lists, written by the pipeline's stages as they change and read by the HTTP server
/// from its own thread.
///
/// After a resume it fills up again as users interact: it mirrors what the pipeline emits, not
/// the checkpoint.
public final class LiveView: Sendable {
    private struct Contents {
        var users: [Int: Recommendation] = [:]
        var trending: [Int: TrendingRow] = [:]
        var trendingOverall: [Int] = []
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func publish(_ recommendation: Recommendation) {
        contents.withLock { $0.users[recommendation.user] = recommendation }
    }

    public func forget(user: Int) {
        contents.withLock { _ = $0.users.removeValue(forKey: user) }
    }

    public func publish(_ rows: [TrendingRow], overall: [Int]) {
        contents.withLock {
            for row in rows { $0.trending[row.category] = row }
            $0.trendingOverall = overall
        }
    }

    public func recommendation(user: Int) -> Recommendation? {
        contents.withLock { $0.users[user] }
    }

    /// The latest trending row of `category`.
    public func trending(category: Int) -> TrendingRow? {
        contents.withLock { $0.trending[category] }
    }

    /// The latest trending items over all categories.
    public var trendingOverall: [Int] {
        contents.withLock { $0.trendingOverall }
    }
}
