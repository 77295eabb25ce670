import SluiceCore
import SluiceOperators

/// The brute-force model of a keyed window operator that the property tests compare against.
///
/// It keeps the full list of each key's live records and recomputes every window from that list
/// whenever it needs one: no panes, no merging, no timers. Its rules are the operator's contract:
/// a window fires when the watermark reaches its `maxTimestamp`; a record for a fired window within
/// the allowed lateness fires it again; a record whose windows are all past
/// `maxTimestamp + lateness` is late; records are dropped once all their windows are past it.
struct WindowTestReference {
    let assigner: WindowAssigner
    let lateness: Int64
    private var live: [Int: [(event: WindowTestEvent, time: EventTime)]] = [:]
    private var watermark = EventTime.noTime

    init(assigner: WindowAssigner, lateness: Int64) {
        self.assigner = assigner
        self.lateness = lateness
    }

    /// Runs all steps; returns the results of each step and the late records.
    static func run(_ steps: [WindowTestStep<WindowTestEvent>], assigner: WindowAssigner, lateness: Int64)
        -> (results: [[WindowResult<Int, [Int]>]], late: [WindowTestEvent]) {
        var reference = WindowTestReference(assigner: assigner, lateness: lateness)
        var results: [[WindowResult<Int, [Int]>]] = []
        var late: [WindowTestEvent] = []
        for step in steps {
            var emitted: [WindowResult<Int, [Int]>] = []
            switch step {
            case .records(let records):
                for (event, time) in records {
                    if let fired = reference.add(event, time: time) { emitted += fired } else { late.append(event) }
                }
            case .watermark(let watermark):
                emitted = reference.advance(to: watermark)
            case .processingTime:
                break
            case .end:
                emitted = reference.advance(to: .endOfTime)
            }
            results.append(emitted)
        }
        return (results, late)
    }

    /// Every window of every key computed from all `records` at once: what an operator must emit
    /// when no record is late.
    static func allWindows(of records: [(WindowTestEvent, EventTime)], assigner: WindowAssigner) -> [WindowResult<Int, [Int]>] {
        let byKey = Dictionary(grouping: records, by: \.0.key)
        var results: [WindowResult<Int, [Int]>] = []
        for (key, records) in byKey {
            let live = records.map { (event: $0.0, time: $0.1) }
            for window in Self.windows(of: live, assigner: assigner) {
                results.append(WindowResult(key: key, window: window, value: Self.ids(of: live, in: window)))
            }
        }
        return results
    }

    /// Adds a record; returns the windows it fires at once, or `nil` if it is late.
    mutating func add(_ event: WindowTestEvent, time: EventTime) -> [WindowResult<Int, [Int]>]? {
        let own = ownWindows(of: time)
        guard own.contains(where: { cleanup($0) > watermark }) else { return nil }
        live[event.key, default: []].append((event, time))
        let records = live[event.key]!
        let containing: [Window]
        if case .session = assigner {
            containing = Self.windows(of: records, assigner: assigner).filter { $0.contains(time) }
        } else {
            containing = own
        }
        return containing.sorted()
            .filter { $0.maxTimestamp <= watermark && cleanup($0) > watermark }
            .map { WindowResult(key: event.key, window: $0, value: Self.ids(of: records, in: $0)) }
    }

    /// Moves the watermark; returns the windows that fire, and drops records no window needs.
    mutating func advance(to newWatermark: EventTime) -> [WindowResult<Int, [Int]>] {
        guard newWatermark > watermark else { return [] }
        var fired: [WindowResult<Int, [Int]>] = []
        for (key, records) in live {
            let windows = Self.windows(of: records, assigner: assigner)
            for window in windows where window.maxTimestamp > watermark && window.maxTimestamp <= newWatermark {
                fired.append(WindowResult(key: key, window: window, value: Self.ids(of: records, in: window)))
            }
            // A record stays while one of the windows holding it is within lateness.
            live[key] = records.filter { record in
                windows.contains { $0.contains(record.time) && cleanup($0) > newWatermark }
            }
        }
        watermark = newWatermark
        return fired
    }

    private func cleanup(_ window: Window) -> EventTime {
        let (sum, overflow) = window.maxTimestamp.addingReportingOverflow(lateness)
        return overflow ? .max : sum
    }

    /// The windows a record at `time` has by itself (for sessions: `[time, time + gap)`).
    private func ownWindows(of time: EventTime) -> [Window] {
        assigner.windows(containing: time)
    }

    /// The windows of a key's records: for sessions, recomputed from scratch by sorting.
    private static func windows(of records: [(event: WindowTestEvent, time: EventTime)], assigner: WindowAssigner) -> [Window] {
        if case .session(let gap) = assigner {
            var sessions: [Window] = []
            for time in records.map(\.time).sorted() {
                if let last = sessions.last, time < last.end {
                    sessions[sessions.count - 1].end = max(last.end, time + gap)
                } else {
                    sessions.append(Window(start: time, end: time + gap))
                }
            }
            return sessions
        }
        return Array(Set(records.flatMap { assigner.windows(containing: $0.time) }))
    }

    private static func ids(of records: [(event: WindowTestEvent, time: EventTime)], in window: Window) -> [Int] {
        records.filter { window.contains($0.time) }.map(\.event.id).sorted()
    }
}
