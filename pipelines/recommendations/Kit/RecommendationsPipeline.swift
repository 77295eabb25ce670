import Sluice

/// The recommendation pipeline, in the DSL:
///
///     events ─▶ [by item] catalog join ─▶ [by user] profiles ─▶ [one instance] model ─▶ [by user] changes ─▶ out
///                                                                               └──────▶ trending
///
/// - **profiles** (keyed by user): sessions, latest items, seen items and favourite categories;
///   an event-time timer forgets a user idle for `userTTL`.
/// - **model** (one instance): co-occurrence of items within sessions, with time decay, and
///   trending items per category in a sliding window; it scores each user's list from them.
/// - **changes** (keyed by user): emits a list only when it differs from the user's last one.
///
/// Both the profiles and the model replay interactions in event-time order: each holds them
/// until the watermark passes their time (an event-time timer per time held). So a list reflects
/// exactly the interactions up to its own, whatever order they arrived in, and the output is the
/// same at every parallelism and after a kill and resume. The price is latency: a list follows
/// its interaction once the watermark does, `maxOutOfOrderness` later.
public enum RecommendationsPipeline {
    public struct Options: Sendable {
        public var settings = RecommenderSettings()
        /// Join the `items` table (`--input items=FILE`) for categories.
        public var catalog = false
        /// Write trending windows to the `trending` output.
        public var trendingOutput = false
        /// Where the stages publish what the HTTP server answers with.
        public var live: LiveView?

        public init() {}
    }

    public static func define(_ p: inout PipelineBuilder, options: Options) {
        let settings = options.settings
        let live = options.live
        // One reader keeps a file's order: the stages below replay in event-time order, and
        // readers of far-apart parts of a file would make them hold everything read ahead.
        let interactions = p.source("events", format: .jsonLines(Interaction.self) { interaction in
            interaction.kind == nil ? "unknown interaction type \"\(interaction.type)\" (view, cart or purchase)" : nil
        }, parallelism: 1)
        .withEventTime(\.ts, maxOutOfOrderness: .milliseconds(settings.maxOutOfOrderness))

        let enriched: DataStream<EnrichedInteraction>
        if options.catalog {
            let catalog = p.table("items", format: .jsonLines(CatalogEntry.self), key: \.item)
            enriched = interactions.keyed(by: \.item).joinTable(catalog, kind: .leftOuter, id: "catalog") { interaction, entry in
                EnrichedInteraction(interaction, category: entry?.category ?? EnrichedInteraction.unknownCategory)
            }
        } else {
            enriched = interactions.map { EnrichedInteraction($0, category: EnrichedInteraction.unknownCategory) }
        }

        let updates = enriched.keyed(by: \.user).process(id: "profiles", initialState: ProfileState()) { state, event, out in
            state.receive(event, out: &out)
        } onTimer: { state, timer, out in
            state.fire(timer, settings: settings, out: &out)
        }

        let outcomes = updates.keyed { _ in 0 }.process(id: "model", initialState: ModelState(settings: settings)) { state, update, out in
            state.receive(update, out: &out)
        } onTimer: { state, timer, out in
            state.fire(timer, live: live, out: &out)
        }
        if options.trendingOutput {
            outcomes.compactMap(\.trendingRow).sink("trending", format: .jsonLines)
        }

        outcomes.compactMap(\.recommendation)
            .keyed(by: \.user)
            .process(id: "changes", initialState: LastList()) { last, recommendation, out in
                if recommendation.items != last.items {
                    last.items = recommendation.items
                    out.emit(recommendation)
                    live?.publish(recommendation)
                }
                if let expiry = last.expiry { out.deleteEventTimeTimer(at: expiry) }
                last.lastTs = Swift.max(last.lastTs, recommendation.ts)
                let expiry = last.lastTs + settings.userTTL
                last.expiry = expiry
                out.registerEventTimeTimer(at: expiry)
            } onTimer: { (_: inout LastList, timer: KeyedTimer<Int>, out: inout KeyedEmitter<Int, Recommendation>) in
                live?.forget(user: timer.key)
                out.clearState()
            }
            .sink("out", format: .jsonLines)
    }
}

/// What the model stage emits.
public enum ModelOutput: Sendable {
    case list(Recommendation)
    case trending(TrendingRow)

    public var recommendation: Recommendation? {
        if case .list(let recommendation) = self { recommendation } else { nil }
    }

    public var trendingRow: TrendingRow? {
        if case .trending(let row) = self { row } else { nil }
    }
}

/// A user's last emitted list, in the changes stage.
public struct LastList: Sendable, Codable {
    public var items: [Int] = []
    public var lastTs: Int64 = .min
    public var expiry: Int64?

    public init() {}
}
