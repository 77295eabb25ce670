#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RecommendationsKit
import Sluice
import SluiceRuntime

/// `recommendations [generate | evaluate] …`: without a subcommand, runs the pipeline with the
/// command line of every Sluice pipeline plus the recommender's own options.
@main
enum RecommendationsMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "generate": GenerateCommand.main(Array(arguments.dropFirst()))
        case "evaluate": EvaluateCommand.main(Array(arguments.dropFirst()))
        default: exit(run(arguments))
        }
    }

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") { print(RecommenderFlags.help) }
        let flags: RecommenderFlags
        do {
            flags = try RecommenderFlags(parsing: arguments)
        } catch {
            Diagnostics.error("\(error)")
            return 2
        }
        var options = RecommendationsPipeline.Options()
        options.settings = flags.settings
        options.catalog = flags.remaining.contains { $0.hasPrefix("items=") }
        options.trendingOutput = flags.remaining.contains { $0.hasPrefix("trending=") }
        var server: HTTPServer?
        if let serve = flags.serve {
            let live = LiveView()
            options.live = live
            do {
                server = try HTTPServer(host: serve.host, port: serve.port, name: "serve", handler: RecommendationQueries(live: live).answer)
            } catch {
                Diagnostics.error("--serve \(serve.host):\(serve.port): \(error)")
                return 2
            }
            Diagnostics.info("serving http://\(serve.host):\(server!.port)/users/U/recommendations and /trending?category=C")
        }
        defer { server?.stop() }
        return PipelineCommand.run(arguments: flags.remaining) { p in
            RecommendationsPipeline.define(&p, options: options)
        }
    }
}
