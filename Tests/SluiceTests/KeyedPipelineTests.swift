import Testing
import Sluice

/// Count and maximum per sensor, carrying the sensor so results can be checked per key.
struct SensorStats: Aggregator, Sendable {
    struct Summary: Hashable, Sendable {
        var sensor: Int
        var count: Int
        var max: Int
    }

    func makeAccumulator() -> Summary { Summary(sensor: -1, count: 0, max: .min) }
    func add(_ input: Reading, to summary: inout Summary) {
        summary.sensor = input.sensor
        summary.count += 1
        summary.max = Swift.max(summary.max, input.value)
    }
    func result(_ summary: Summary) -> Summary { summary }
    func merge(_ other: Summary, into summary: inout Summary) {
        summary.count += other.count
        summary.max = Swift.max(summary.max, other.max)
    }
}

@Suite("Keyed pipelines")
struct KeyedPipelineTests {
    static let input = readings(count: 4000, sensors: 37)

    /// The input's readings of each sensor, in input order.
    static var bySensor: [Int: [Reading]] { Dictionary(grouping: input, by: \.sensor) }

    @Test("reduce emits each key's running result, in the key's order", arguments: [1, 2, 4])
    func reduce(parallelism: Int) throws {
        let results = CollectedRecords<Reading>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .keyed(by: \.sensor)
                .reduce(id: "sum") { Reading(sensor: $0.sensor, value: $0.value + $1.value) }
                .collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        let received = Dictionary(grouping: results.records, by: \.sensor)
        #expect(received.keys.sorted() == Self.bySensor.keys.sorted())
        for (sensor, readings) in Self.bySensor {
            var sum = 0
            let expected = readings.map { sum += $0.value; return Reading(sensor: sensor, value: sum) }
            #expect(received[sensor] == expected, "sensor \(sensor)")
        }
    }

    @Test("aggregate folds each record into its key's accumulator", arguments: [1, 2, 4])
    func aggregate(parallelism: Int) throws {
        let results = CollectedRecords<SensorStats.Summary>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .keyed(by: \.sensor)
                .aggregate(SensorStats(), id: "stats")
                .collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        let received = Dictionary(grouping: results.records, by: \.sensor)
        for (sensor, readings) in Self.bySensor {
            var maximum = Int.min
            let expected = readings.enumerated().map { n, reading in
                maximum = max(maximum, reading.value)
                return SensorStats.Summary(sensor: sensor, count: n + 1, max: maximum)
            }
            #expect(received[sensor] == expected, "sensor \(sensor)")
        }
        #expect(results.records.count == Self.input.count)
    }

    @Test("process keeps state per key, sees the key, and may emit any number of records", arguments: [1, 2, 4])
    func process(parallelism: Int) throws {
        let results = CollectedRecords<String>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .keyed(by: { $0.sensor })
                .process(id: "every-other", initialState: 0) { (seen: inout Int, reading: Reading, out: inout KeyedEmitter<Int, String>) in
                    seen += 1
                    // Emits for the 1st, 3rd, 5th... reading of each key; twice for every 10th.
                    if seen % 2 == 1 { out.emit("\(out.key):\(seen)") }
                    if seen % 10 == 0 { out.emit("\(out.key):\(seen)a"); out.emit("\(out.key):\(seen)b") }
                    // The key shown to the function is the record's own.
                    if out.key != reading.sensor { out.emit("wrong key \(out.key) for \(reading)") }
                }
                .collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        #expect(!results.records.contains { $0.hasPrefix("wrong key") })
        let received = Dictionary(grouping: results.records) { Int($0.split(separator: ":")[0]) ?? -1 }
        for (sensor, readings) in Self.bySensor {
            var expected: [String] = []
            for seen in 1...readings.count {
                if seen % 2 == 1 { expected.append("\(sensor):\(seen)") }
                if seen % 10 == 0 { expected += ["\(sensor):\(seen)a", "\(sensor):\(seen)b"] }
            }
            #expect(received[sensor] ?? [] == expected, "sensor \(sensor)")
        }
    }

    @Test("two keyed stages in a row, keyed differently", arguments: [1, 2, 4])
    func twoKeyedStages(parallelism: Int) throws {
        let results = CollectedRecords<Reading>()
        try Pipeline { p in
            p.source(elements: Self.input)
                .keyed(by: \.sensor)
                .reduce(id: "per-sensor") { Reading(sensor: $0.sensor, value: max($0.value, $1.value)) }
                .map { Reading(sensor: $0.sensor % 5, value: 1) }
                .keyed(by: \.sensor)
                .reduce(id: "per-group") { Reading(sensor: $0.sensor, value: $0.value + $1.value) }
                .collect(into: results)
        }.run(smallBatchOptions(parallelism: parallelism))
        // Group g receives one record per reading of the sensors s with s % 5 == g: running counts 1...n.
        let received = Dictionary(grouping: results.records, by: \.sensor)
        for group in 0..<5 {
            let n = Self.input.filter { $0.sensor % 5 == group }.count
            #expect(received[group]?.map(\.value).sorted() == Array(1...n), "group \(group)")
        }
    }

    @Test("results do not depend on the parallelism")
    func sameResultsAtEveryParallelism() throws {
        func run(_ parallelism: Int) throws -> [Reading] {
            let results = CollectedRecords<Reading>()
            try Pipeline { p in
                p.source(elements: Self.input)
                    .rebalance()
                    .filter { $0.value % 3 != 0 }
                    .keyed(by: \.sensor)
                    .reduce(id: "sum") { Reading(sensor: $0.sensor, value: $0.value + $1.value) }
                    .collect(into: results)
            }.run(smallBatchOptions(parallelism: parallelism))
            return results.records
        }
        // After a rebalance the order within a key may change, but the final sum per key may not.
        func finalSums(_ records: [Reading]) -> [Int: Int] {
            Dictionary(grouping: records, by: \.sensor).mapValues { $0.map(\.value).max()! }
        }
        let one = try run(1)
        #expect(finalSums(try run(2)) == finalSums(one))
        #expect(finalSums(try run(4)) == finalSums(one))
        #expect(try run(4).count == one.count)
    }
}
