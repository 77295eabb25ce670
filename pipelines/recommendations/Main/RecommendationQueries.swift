import RecommendationsKit
import Sluice

/// The HTTP read side: answers queries from the live view the pipeline keeps up to date.
struct RecommendationQueries: Sendable {
    let live: LiveView

    func answer(_ request: HTTPServer.Request) -> HTTPServer.Response {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.count == 3, parts[0] == "users", parts[2] == "recommendations" {
            guard let user = Int(parts[1]) else { return .error(400, "Bad Request", "user id \(parts[1]) is not an integer") }
            guard let recommendation = live.recommendation(user: user) else {
                return .error(404, "Not Found", "no recommendations for user \(user) yet")
            }
            return .json(recommendation)
        }
        if parts == ["trending"] {
            guard let text = request.query["category"] else {
                return .json(OverallTrending(items: live.trendingOverall))
            }
            guard let category = Int(text) else { return .error(400, "Bad Request", "category \(text) is not an integer") }
            guard let row = live.trending(category: category) else {
                return .error(404, "Not Found", "no trending items for category \(category) yet")
            }
            return .json(row)
        }
        return .error(404, "Not Found", "unknown path \(request.path): try /users/U/recommendations or /trending?category=C")
    }
}

/// The answer to `GET /trending` without a category.
struct OverallTrending: Encodable {
    var items: [Int]
}
