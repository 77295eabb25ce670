import Sluice

/// The profiles stage's state of one user: the profile, the interactions waiting for the
/// watermark, and the time the user expires at.
public struct ProfileState: Codable, Sendable {
    public private(set) var profile = UserProfile()
    var pending = EventTimeBuffer<EnrichedInteraction>()
    var expiry: Int64?

    public init() {}

    /// Holds `event` until the watermark reaches its time.
    public mutating func receive(_ event: EnrichedInteraction, out: inout KeyedEmitter<Int, ProfileUpdate>) {
        pending.hold(event, at: event.ts, out: &out)
    }

    /// Replays the interactions the watermark has passed into the profile, emitting an update
    /// for each; forgets the user once idle for `userTTL`.
    public mutating func fire(_ timer: KeyedTimer<Int>, settings: RecommenderSettings,
                              out: inout KeyedEmitter<Int, ProfileUpdate>) {
        for event in pending.release(timer, out: &out, orderedBy: EnrichedInteraction.replayOrder) {
            out.emit(profile.record(event, settings: settings))
        }
        guard profile.lastTs != .min else { return }
        let due = profile.lastTs + settings.userTTL
        if due != expiry {
            if let expiry { out.deleteEventTimeTimer(at: expiry) }
            expiry = due
            out.registerEventTimeTimer(at: due)
        }
        if timer.time >= due && pending.isEmpty { out.clearState() }
    }
}
