import ArgumentParser
import Foundation
import RecommendationsKit

/// `recommendations generate`: a synthetic click stream with structure to recover.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommendations generate",
        abstract: "Write a synthetic click stream (JSON lines) with planted tastes, affinities, sessions and a purchase funnel.")

    @Option(help: "Users.") var users = 10_000
    @Option(help: "Items.") var items = 5_000
    @Option(help: "Interactions to write.") var events = 1_000_000
    @Option(help: "The events file.") var out: String
    @Option(help: "Also write the item catalog ({\"item\":I,\"category\":C} lines) here.") var catalog: String?
    @Option(help: "Random seed: the same seed writes the same stream.") var seed: UInt64 = 1

    func validate() throws {
        guard users > 0, items > 0, events >= 0 else { throw ValidationError("--users and --items must be positive, --events not negative") }
    }

    func run() throws {
        let start = ContinuousClock.now
        try InteractionGenerator(users: users, items: items, seed: seed).write(events: events, to: out, catalogPath: catalog)
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        print("{\"events\":\(events),\"users\":\(users),\"items\":\(items),\"seconds\":\(seconds)}")
    }
}

/// `recommendations evaluate`: the next-item hit rate of a run's output against a baseline.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommendations evaluate",
        abstract: "Replay the events in event-time order and print the hit rate @10 of the recommendations and of a most-popular baseline (one JSON line).")

    @Option(help: "The events the pipeline read.") var events: String
    @Option(help: "The pipeline's output (its `out` file).") var recommendations: String

    func run() throws {
        let report = HitRateEvaluator.evaluate(interactions: try HitRateEvaluator.readInteractions(path: events),
                                               recommendations: try HitRateEvaluator.readRecommendations(path: recommendations))
        print(report.jsonLine)
    }
}
