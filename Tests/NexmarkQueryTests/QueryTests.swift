import Testing
import NexmarkQueries
import Sluice
import SluiceNexmark

/// The events of the in-process tests: 100,000 events at 1,000 events per second of event time,
/// so 100 s: ten tumbling windows, fifty sliding ones, sessions that end and start.
enum Fixture {
    static let count = 100_000
    static let generator = NexmarkGenerator(seed: 42, rate: 1_000)
    static let events: [NexmarkEvent] = (0..<count).map { generator.event(at: Int64($0)) }
    /// The pipeline's input: the same events, computed by the engine's parallel source instances.
    static var input: NexmarkInput { .generated(count: count, generator: generator) }

    /// Runs `build` on the fixture's events at `parallelism` and returns the rows.
    static func run<Row>(parallelism: Int, _ build: @escaping (DataStream<NexmarkEvent>) -> DataStream<Row>) throws -> [Row] {
        let rows = CollectedRecords<Row>()
        let summary = try Pipeline { p in
            build(p.nexmarkEvents(input)).collect(into: rows)
        }.run(RunOptions(parallelism: parallelism))
        #expect(summary.droppedLateRecords == 0)
        return rows.records
    }
}

@Suite("Nexmark queries equal brute-force evaluation")
struct QueryTests {
    @Test("q0 passes every bid through", arguments: [1, 2, 4])
    func q0(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q0.build)
        #expect(rows.count == Fixture.count * 46 / 50)
        expectSameRows(rows, Reference.q0(Fixture.events))
    }

    @Test("q1 converts every price to a Double", arguments: [1, 2, 4])
    func q1(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q1.build)
        expectSameRows(rows, Reference.q1(Fixture.events))
    }

    @Test("q2 selects the bids of every 123rd auction", arguments: [1, 2, 4])
    func q2(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q2.build)
        let expected = Reference.q2(Fixture.events)
        #expect(!expected.isEmpty)
        expectSameRows(rows, expected)
    }

    @Test("q3 joins category-10 auctions with their local sellers", arguments: [1, 2, 4])
    func q3(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q3.build)
        let expected = Reference.q3(Fixture.events)
        #expect(expected.count > 100)
        expectSameRows(rows, expected)
    }

    @Test("q4 emits a running average per category for every winning bid", arguments: [1, 2, 4])
    func q4(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism) { Q4.build($0) }
        let expected = Reference.q4(Fixture.events)
        #expect(expected.count == 5)
        // Rows of one category come from one instance, in order: the last is the final average.
        var actual: [Int64: (winners: Int, average: Double)] = [:]
        for row in rows { actual[row.category] = ((actual[row.category]?.winners ?? 0) + 1, row.avgPrice) }
        #expect(Set(actual.keys) == Set(expected.keys))
        for (category, reference) in expected {
            #expect(actual[category]?.winners == reference.winners, "winners of category \(category)")
            #expect(actual[category]?.average == reference.average, "final average of category \(category)")
        }
    }

    @Test("q5 keeps every auction tied for the most bids per sliding window", arguments: [1, 2, 4])
    func q5(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q5.build)
        let expected = Reference.q5(Fixture.events)
        #expect(Set(expected.map(\.windowStart)).count > 50)
        expectSameRows(rows, expected)
    }

    @Test("q7 emits every bid with its tumbling window's highest price", arguments: [1, 2, 4])
    func q7(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q7.build)
        let expected = Reference.q7(Fixture.events)
        #expect(Set(expected.map(\.windowStart)).count >= 10)
        expectSameRows(rows, expected)
    }

    @Test("q8 finds people who opened an auction in the window they registered in", arguments: [1, 2, 4])
    func q8(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q8.build)
        let expected = Reference.q8(Fixture.events)
        #expect(expected.count > 10)
        expectSameRows(rows, expected)
    }

    @Test("q11 counts each bidder's bids per 10 s-gap session", arguments: [1, 2, 4])
    func q11(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q11.build)
        let expected = Reference.q11(Fixture.events)
        #expect(expected.count > Set(expected.map(\.bidder)).count)   // some bidders have several sessions
        expectSameRows(rows, expected)
    }

    @Test("q12 counts all of each bidder's bids in aligned 10 s processing-time windows", arguments: [1, 2, 4])
    func q12(parallelism: Int) throws {
        let rows = try Fixture.run(parallelism: parallelism, Q12.build)
        var totals: [Int64: Int] = [:]
        for row in rows {
            totals[row.bidder, default: 0] += row.count
            #expect(row.windowStart % 10_000 == 0 && row.windowEnd == row.windowStart + 10_000, "\(row)")
            #expect(row.count > 0)
        }
        #expect(totals == Reference.bidsPerBidder(Fixture.events))
        // One row per bidder and window.
        #expect(Set(rows.map { [$0.bidder, $0.windowStart] }).count == rows.count)
    }

    @Test("the query list parses names and builds every query into a pipeline")
    func queryList() throws {
        #expect(NexmarkQuery(name: "Q5") == .q5)
        #expect(NexmarkQuery(name: "11") == .q11)
        #expect(NexmarkQuery(name: "q6") == nil)
        #expect(NexmarkQuery.allCases.map(\.rawValue) == ["q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11", "q12"])
        for query in NexmarkQuery.allCases {
            let pipeline = Pipeline { p in query.define(&p, input: .file, sink: .file()) }
            #expect(pipeline.sourceNames == ["events"])
            #expect(pipeline.sinkNames == ["out"])
        }
    }
}
