import RecommendationsKit
import Sluice

/// The recommender's own options, taken off the command line before the rest goes to the
/// pipeline's standard parser.
struct RecommenderFlags {
    static let help = """
    Recommender options:
      --serve HOST:PORT          Answer GET /users/U/recommendations and /trending?category=C.
      --max-out-of-orderness D   How late interactions may arrive (default 2s): lists follow
                                 the watermark, this much behind the latest time seen.
      --session-gap DURATION     Interactions further apart start a new session (default 30m).
      --half-life DURATION       Co-occurrence scores halve in this much event time (default 24h).
      --trending-window DURATION Trending window length (default 10m); --trending-slide (default 1m).
      --user-ttl DURATION        Forget users idle this long in event time (default 168h).
      --neighbours K             Related items kept per item (default 20).
      --recent-items N           A user's latest items that lists start from (default 3).
    Inputs: events (required), items (optional catalog, joined for categories).
    Outputs: out (required), trending (optional: top items per category and window).

    """

    var settings = RecommenderSettings()
    var serve: (host: String, port: Int)?
    var remaining: [String] = []

    init(parsing arguments: [String]) throws {
        var index = 0
        func value(_ flag: String) throws -> String {
            index += 1
            guard index < arguments.count else { throw UsageError("\(flag) needs a value") }
            return arguments[index]
        }
        func milliseconds(_ flag: String) throws -> Int64 {
            try PipelineCommand.duration(try value(flag), flag: flag).milliseconds
        }
        while index < arguments.count {
            let flag = arguments[index]
            switch flag {
            case "--serve":
                let text = try value(flag)
                guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                      (0...65535).contains(port), colon > text.startIndex else {
                    throw UsageError("--serve \(text): expected HOST:PORT, such as 127.0.0.1:8080")
                }
                serve = (String(text[..<colon]), port)
            case "--max-out-of-orderness": settings.maxOutOfOrderness = try milliseconds(flag)
            case "--session-gap": settings.sessionGap = try milliseconds(flag)
            case "--half-life": settings.halfLife = try milliseconds(flag)
            case "--trending-window": settings.trendingWindow = try milliseconds(flag)
            case "--trending-slide": settings.trendingSlide = try milliseconds(flag)
            case "--user-ttl": settings.userTTL = try milliseconds(flag)
            case "--recent-items":
                let text = try value(flag)
                guard let n = Int(text), n > 0 else { throw UsageError("--recent-items \(text): expected a positive count") }
                settings.recentItems = n
            case "--neighbours":
                let text = try value(flag)
                guard let k = Int(text), k > 0 else { throw UsageError("--neighbours \(text): expected a positive count") }
                settings.neighbours = k
            default: remaining.append(flag)
            }
            index += 1
        }
        guard settings.trendingSlide <= settings.trendingWindow else {
            throw UsageError("--trending-slide must not exceed --trending-window")
        }
    }
}
