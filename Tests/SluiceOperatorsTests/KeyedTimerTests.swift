import SluiceCore
import SluiceOperators
import Testing

/// A record of the timer tests: a key, an id and a value.
struct TimerTestEvent: Hashable, Codable, Sendable {
    var key: Int
    var id: Int
    var value: Int
}

/// What a quiet-key detector keeps per key: records seen, their sum, and its pending deadline.
struct TimerTestActivity: Codable, Sendable {
    var count = 0
    var sum = 0
    var deadline: Int64?
}

private typealias Event = TimerTestEvent
private typealias Detector = KeyedProcessOperator<Int, Event, TimerTestActivity, String>

/// Emits "key:count:sum" once a key has had no record for `gap` in `domain`, then forgets it:
/// each record moves the key's one timer to `gap` after the record (event time) or the clock.
private func quietKeys(gap: Int64, domain: TimeDomain = .eventTime) -> Detector {
    KeyedProcessOperator(key: \.key, initialState: { TimerTestActivity() }, function: { activity, event, out in
        activity.count += 1
        activity.sum += event.value
        let base = domain == .eventTime ? out.time : out.processingTime
        let deadline = Swift.max(activity.deadline ?? .min, base + gap)
        if let old = activity.deadline, old != deadline {
            if domain == .eventTime { out.deleteEventTimeTimer(at: old) } else { out.deleteProcessingTimeTimer(at: old) }
        }
        activity.deadline = deadline
        if domain == .eventTime { out.registerEventTimeTimer(at: deadline) } else { out.registerProcessingTimeTimer(at: deadline) }
    }, onTimer: { activity, timer, out in
        out.emit("\(timer.key):\(activity.count):\(activity.sum)")
        out.clearState()
    })
}

private func events(_ triples: [(key: Int, value: Int, time: EventTime)]) -> Batch<Event> {
    Batch(records: ContiguousArray(triples.enumerated().map { Event(key: $1.key, id: $0, value: $1.value) }),
          times: ContiguousArray(triples.map(\.time)))
}

private func fired<Op: BatchOperator>(_ op: inout Op, watermark: EventTime) throws -> [String] where Op.Output == String {
    var output = Batch<String>()
    try op.onWatermark(watermark, into: &output)
    return zip(output.records, output.times).map { "\($0)@\($1)" }
}

@Suite("Keyed process timers")
struct KeyedTimerTests {
    @Test("an event-time timer fires when the watermark reaches it, with the key's state, at its own time")
    func eventTimeTimerFires() throws {
        var op = quietKeys(gap: 10)
        var output = Batch<String>()
        try op.process(events([(1, 5, 100), (2, 7, 103), (1, 3, 104)]), into: &output)
        #expect(output.isEmpty)
        #expect(try fired(&op, watermark: 112).isEmpty)
        #expect(try fired(&op, watermark: 113) == ["2:1:7@113"])
        #expect(try fired(&op, watermark: 200) == ["1:2:8@114"])
        #expect(op.states.isEmpty, "onTimer cleared both keys' state")
        #expect(op.pendingTimers.isEmpty)
    }

    @Test("a deleted timer does not fire; registering the same time twice fires once")
    func deleteAndDeduplicate() throws {
        var op = KeyedProcessOperator<Int, Event, Int, String>(key: \.key, initialState: { 0 }, function: { _, event, out in
            out.registerEventTimeTimer(at: 50)
            out.registerEventTimeTimer(at: 50)
            if event.value == 0 { out.deleteEventTimeTimer(at: 50) }
        }, onTimer: { _, timer, out in out.emit("\(timer.key)") })
        var output = Batch<String>()
        try op.process(events([(1, 1, 10), (2, 1, 11), (2, 0, 12), (3, 1, 13)]), into: &output)
        #expect(op.pendingTimers.count == 2)
        #expect(try fired(&op, watermark: 60) == ["1@50", "3@50"])
    }

    @Test("timers fire in time order across keys, and one registered while firing fires in the same pass if due")
    func orderAndCascade() throws {
        var op = KeyedProcessOperator<Int, Event, Int, String>(key: \.key, initialState: { 0 }, function: { _, event, out in
            out.registerEventTimeTimer(at: out.time + Int64(event.value))
        }, onTimer: { rounds, timer, out in
            rounds += 1
            out.emit("\(timer.key)#\(rounds)")
            if rounds < 3 { out.registerEventTimeTimer(at: timer.time + 5) }
        })
        var output = Batch<String>()
        try op.process(events([(1, 30, 0), (2, 2, 0), (3, 9, 0)]), into: &output)
        #expect(try fired(&op, watermark: 20) == ["2#1@2", "2#2@7", "3#1@9", "2#3@12", "3#2@14", "3#3@19"])
        #expect(try fired(&op, watermark: 40) == ["1#1@30", "1#2@35", "1#3@40"])
    }

    @Test("the emitter shows the watermark and the processing-time clock")
    func clocksAreVisible() throws {
        var op = KeyedProcessOperator<Int, Event, Int, String>(key: \.key, initialState: { 0 }) { _, _, out in
            out.emit("\(out.watermark)/\(out.processingTime)")
        }
        var output = Batch<String>()
        try op.onWatermark(40, into: &output)
        try op.onProcessingTime(1_000, into: &output)
        try op.process(events([(1, 1, 50)]), into: &output)
        #expect(Array(output.records) == ["40/1000"])
    }

    @Test("processing-time timers fire when the clock reaches them; their results carry no event time")
    func processingTimeTimers() throws {
        var op = quietKeys(gap: 100, domain: .processingTime)
        var output = Batch<String>()
        try op.onProcessingTime(1_000, into: &output)
        try op.process(events([(1, 5, 0), (2, 1, 0)]), into: &output)
        try op.onProcessingTime(1_050, into: &output)
        try op.process(events([(1, 4, 0)]), into: &output)
        try op.onProcessingTime(1_100, into: &output)
        #expect(Array(output.records) == ["2:1:1"])
        #expect(Array(output.times) == [.noTime])
        output.removeAll()
        try op.onWatermark(.endOfTime, into: &output)
        #expect(output.isEmpty, "watermarks do not fire processing-time timers")
        try op.onProcessingTime(1_150, into: &output)
        #expect(Array(output.records) == ["1:2:9"])
    }

    @Test("at the end of input every event-time timer and every pending processing-time timer fires")
    func endFiresEverything() throws {
        var op = KeyedProcessOperator<Int, Event, Int, String>(key: \.key, initialState: { 0 }, function: { _, event, out in
            if event.value > 0 { out.registerEventTimeTimer(at: 1_000_000) } else { out.registerProcessingTimeTimer(at: 5_000_000) }
        }, onTimer: { _, timer, out in
            out.emit("\(timer.key):\(timer.domain == .eventTime ? "event" : "processing")")
            // Re-registering at the end must not loop: the clock stopped with the input.
            if timer.domain == .processingTime { out.registerProcessingTimeTimer(at: timer.time + 1) }
        })
        var output = Batch<String>()
        try op.process(events([(1, 1, 0), (2, 0, 0), (3, 1, 0)]), into: &output)
        try op.onEnd(into: &output)
        #expect(Set(output.records) == ["1:event", "3:event", "2:processing"])
        #expect(output.count == 3)
    }

    @Test("registering a timer without an onTimer function is an error, not a silent no-op")
    func timerWithoutCallbackFails() throws {
        var op = KeyedProcessOperator<Int, Event, Int, String>(key: \.key, initialState: { 0 }) { _, _, out in
            out.registerEventTimeTimer(at: 10)
        }
        var output = Batch<String>()
        #expect(throws: PipelineError.self) { try op.process(events([(1, 1, 0)]), into: &output) }
    }

    @Test("clearState drops only the current key's state; its next record starts afresh")
    func clearState() throws {
        var op = KeyedProcessOperator<Int, Event, Int, Int>(key: \.key, initialState: { 0 }) { total, event, out in
            total += event.value
            out.emit(total)
            if total >= 10 { out.clearState() }
        }
        var output = Batch<Int>()
        try op.process(events([(1, 6, 0), (2, 1, 0), (1, 6, 0), (1, 2, 0)]), into: &output)
        #expect(Array(output.records) == [6, 1, 12, 2])
        #expect(op.states[1] == 2)
        #expect(op.states[2] == 1)
    }

    @Test("timers and state survive a checkpoint, restored into 1, 2 or 3 instances", arguments: [false, true])
    func snapshotRoundTrip(processingTime: Bool) throws {
        let driver = SnapshotTestDriver<Detector>(
            make: { quietKeys(gap: 8, domain: processingTime ? .processingTime : .eventTime) },
            keyGroup: { $1.keyGroup(for: $0.key) },
            counter: { _ in 0 },
            snapshot: { $0.snapshot() },
            restore: { try $0.restore($1) })
        let report = try snapshotTestRounds(driver, seeds: 0..<12) { seed in
            snapshotTestSteps(seed: seed, count: 250, processingTime: processingTime) { id, random in
                Event(key: Int.random(in: 0..<20, using: &random), id: id, value: Int.random(in: 1...9, using: &random))
            }
        }
        #expect(report.savedEntries > 0)
        #expect(report.outputsAfterCut > 0)
    }
}
