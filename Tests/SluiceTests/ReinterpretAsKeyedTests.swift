import Testing
import Sluice

@Suite("Streams taken as already keyed")
struct ReinterpretAsKeyedTests {
    static let input = readings(count: 4000, sensors: 37)

    /// Per sensor, the running sum of values, then (keyed by sensor again) how many sums each
    /// sensor has emitted so far: the second step reads `input` either through an exchange or
    /// as already keyed.
    static func sumsCounted(alreadyKeyed: Bool, into results: CollectedRecords<Reading> = CollectedRecords()) -> Pipeline {
        Pipeline { p in
            let sums = p.source(elements: Self.input)
                .keyed(by: \.sensor)
                .runningSums()
                .map { $0 }
            let keyedAgain = alreadyKeyed ? sums.reinterpretAsKeyed(by: \.sensor) : sums.keyed(by: \.sensor)
            keyedAgain
                .process(id: "count", initialState: 0) { (count: inout Int, sum: Reading, out: inout KeyedEmitter<Int, Reading>) in
                    count += 1
                    out.emit(Reading(sensor: sum.sensor, value: count * 1_000_000 + sum.value))
                }
                .collect(into: results)
        }
    }

    @Test("a keyed step reads a stream keyed by the same key where it is: the same results as through an exchange, one thread less per instance",
          arguments: [1, 2, 4])
    func sameResults(parallelism: Int) throws {
        var byKey: [[Int: [Reading]]] = []
        for alreadyKeyed in [false, true] {
            let results = CollectedRecords<Reading>()
            try Self.sumsCounted(alreadyKeyed: alreadyKeyed, into: results).run(smallBatchOptions(parallelism: parallelism))
            byKey.append(Dictionary(grouping: results.records, by: \.sensor))
        }
        #expect(byKey[0] == byKey[1])
        #expect(byKey[1].values.map(\.count).reduce(0, +) == Self.input.count)
        let exchanged = try Self.sumsCounted(alreadyKeyed: false).plan(RunOptions(parallelism: parallelism))
        let inPlace = try Self.sumsCounted(alreadyKeyed: true).plan(RunOptions(parallelism: parallelism))
        #expect(exchanged.steps.first { $0.label == "count" }?.connection == "hash")
        #expect(inPlace.steps.first { $0.label == "count" }?.connection == "fused")
        #expect(inPlace.threadCount == exchanged.threadCount - parallelism)
    }

    @Test("a stream keyed by another key stops the pipeline with an error naming the step and the record")
    func otherKeyFails() throws {
        let pipeline = Pipeline { p in
            p.source(elements: Self.input)
                .keyed(by: \.sensor)
                .runningSums()
                .reinterpretAsKeyed(by: \.value)
                .process(id: "by-value", initialState: 0) { (_: inout Int, sum: Reading, out: inout KeyedEmitter<Int, Reading>) in
                    out.emit(sum)
                }
                .discard()
        }
        let error = #expect(throws: PipelineError.self) { try pipeline.run(RunOptions(parallelism: 2)) }
        #expect(error?.message.contains("step \"by-value\" takes its input as already keyed") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("Reading(sensor:") == true)
        try pipeline.run(RunOptions(parallelism: 1))
    }

    @Test("a stream that no keyed step partitioned cannot be taken as keyed")
    func notKeyedInput() throws {
        let pipeline = Pipeline { p in
            p.source(elements: Self.input)
                .reinterpretAsKeyed(by: \.sensor)
                .runningSums()
                .discard()
        }
        let error = #expect(throws: UsageError.self) { try pipeline.plan(RunOptions(parallelism: 2)) }
        #expect(error?.message.contains("not the output of a keyed step") == true)
    }
}

extension KeyedStream where Record == Reading {
    /// Each reading's value replaced by its key's running sum (step "sum").
    func runningSums() -> DataStream<Reading> {
        reduce(id: "sum") { Reading(sensor: $0.sensor, value: $0.value + $1.value) }
    }
}
