import Sluice

/// The model stage's state: the model, and the profile updates waiting for the watermark.
public struct ModelState: Codable, Sendable {
    public private(set) var model: RecommenderModel
    var pending = EventTimeBuffer<ProfileUpdate>()

    public init(settings: RecommenderSettings) {
        model = RecommenderModel(settings: settings)
    }

    /// Holds `update` until the watermark reaches its time.
    public mutating func receive(_ update: ProfileUpdate, out: inout KeyedEmitter<Int, ModelOutput>) {
        pending.hold(update, at: update.ts, out: &out)
    }

    /// Applies the updates the watermark has passed in replay order, emitting each user's new
    /// list and the trending windows they close (also published to `live`).
    public mutating func fire(_ timer: KeyedTimer<Int>, live: LiveView?, out: inout KeyedEmitter<Int, ModelOutput>) {
        for update in pending.release(timer, out: &out, orderedBy: ProfileUpdate.replayOrder) {
            let outcome = model.apply(update)
            if !outcome.trending.isEmpty {
                live?.publish(outcome.trending, overall: model.trending.latestOverall)
                for row in outcome.trending { out.emit(.trending(row)) }
            }
            if let recommendation = outcome.recommendation { out.emit(.list(recommendation)) }
        }
    }
}
