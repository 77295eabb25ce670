import Testing
import SluiceCore
import SluiceOperators

@Suite("WindowAssigner")
struct WindowAssignerTests {
    @Test("tumbling windows are aligned to the epoch, also before it",
          arguments: [(0, 0), (9, 0), (10, 10), (15, 10), (-1, -10), (-10, -10), (-11, -20), (1_735_689_603_999, 1_735_689_600_000)] as [(EventTime, EventTime)])
    func tumblingAlignment(time: EventTime, start: EventTime) {
        let size: Int64 = time > 1_000_000 ? 10_000 : 10
        #expect(WindowAssigner.tumbling(size: size).windows(containing: time) == [Window(start: start, end: start + size)])
    }

    @Test("alignedStart rounds down to a multiple of the length", arguments: [
        (0, 5, 0), (4, 5, 0), (5, 5, 5), (-1, 5, -5), (-5, 5, -5), (-6, 5, -10), (7, 1, 7),
    ] as [(EventTime, Int64, EventTime)])
    func alignedStart(time: EventTime, length: Int64, start: EventTime) {
        #expect(WindowAssigner.alignedStart(time, length) == start)
    }

    @Test("a record is in size/slide sliding windows, all aligned and containing it",
          arguments: [(10, 5), (10, 2), (10, 10), (9, 3), (30, 1), (10_000, 2_000)] as [(Int64, Int64)],
          [-23, -1, 0, 1, 7, 10, 9_999, 1_735_689_600_001] as [EventTime])
    func slidingMembership(geometry: (size: Int64, slide: Int64), time: EventTime) {
        let (size, slide) = geometry
        let windows = WindowAssigner.sliding(size: size, slide: slide).windows(containing: time)
        #expect(windows.count == Int(size / slide))
        #expect(Set(windows).count == windows.count)
        for window in windows {
            #expect(window.contains(time))
            #expect(window.end - window.start == size)
            #expect(WindowAssigner.alignedStart(window.start, slide) == window.start)
        }
    }

    @Test("when slide does not divide size, a record is in floor or ceil of size/slide windows")
    func slidingUneven() {
        let assigner = WindowAssigner.sliding(size: 12, slide: 8)
        let counts = Set((-40...40).map { assigner.windows(containing: EventTime($0)).count })
        #expect(counts == [1, 2])
        #expect(assigner.windows(containing: 9).sorted() == [Window(start: 0, end: 12), Window(start: 8, end: 20)])
        #expect(assigner.windows(containing: 13) == [Window(start: 8, end: 20)])
    }

    @Test("a session window starts at the record and lasts the gap")
    func session() {
        #expect(WindowAssigner.session(gap: 10).windows(containing: -3) == [Window(start: -3, end: 7)])
    }

    @Test("Duration factories convert to milliseconds")
    func durations() {
        #expect(WindowAssigner.tumbling(.seconds(10)) == .tumbling(size: 10_000))
        #expect(WindowAssigner.sliding(size: .seconds(10), slide: .milliseconds(2_000)) == .sliding(size: 10_000, slide: 2_000))
        #expect(WindowAssigner.session(gap: .seconds(1)) == .session(gap: 1_000))
    }

    @Test("a window's last millisecond, containment and order by end")
    func windowBasics() {
        let window = Window(start: 10, end: 20)
        #expect(window.maxTimestamp == 19)
        #expect(window.contains(10) && window.contains(19) && !window.contains(20) && !window.contains(9))
        #expect([Window(start: 5, end: 25), Window(start: 10, end: 20), Window(start: 0, end: 20)].sorted()
            == [Window(start: 0, end: 20), Window(start: 10, end: 20), Window(start: 5, end: 25)])
    }

    @Test("a window is a partition key: its hash is stable and spreads consecutive windows over key groups")
    func windowPartitionKey() {
        #expect(Window(start: 0, end: 10).stableHash == Window(start: 0, end: 10).stableHash)
        #expect(Window(start: 0, end: 10).stableHash != Window(start: 10, end: 20).stableHash)
        #expect(Window(start: 0, end: 10).stableHash != Window(start: 0, end: 20).stableHash)
        let groups = Set((0..<256).map { KeyGroups().keyGroup(for: Window(start: EventTime($0) * 2_000, end: EventTime($0) * 2_000 + 10_000)) })
        #expect(groups.count > 100)
    }
}
