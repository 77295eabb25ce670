import Foundation

/// `sluice-bench --only micro`: one JSON line per hot path with its time, heap allocations and
/// instructions per operation.
///
/// Time is the median over `runs` runs in this process. The counts come from this executable
/// run again under valgrind (`--micro-child NAME --calls N`): instructions inside the measured
/// region only (callgrind, toggled on `measured`), allocations and bytes as the difference
/// between a run of N calls and one of none (DHAT). Without valgrind the counts are null.
enum MicroBenchmarkRunner {
    static var benchmarks: [any MicroBenchmark.Type] {
        [
            JSONParseMicroBenchmark.self,
            QueueHandoffMicroBenchmark.self,
            KeyPartitionMicroBenchmark.self,
            KeyPartitionIDsMicroBenchmark.self,
            WindowUpdateMicroBenchmark.self,
            WindowFireMicroBenchmark.self,
            SnapshotEncodeMicroBenchmark.self,
        ]
    }

    /// Measures every benchmark whose name contains `filter` (all if nil) and prints its line.
    static func run(filter: String?, runs: Int, useValgrind: Bool) throws {
        let scratch = try makeBenchDirectory("sluice-bench-micro")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let valgrind = useValgrind ? Valgrind.find(scratch: scratch) : nil
        if useValgrind && valgrind == nil {
            FileHandle.standardError.write(Data("valgrind not found: instructions and allocations are null\n".utf8))
        }
        for benchmark in benchmarks where filter.map({ benchmark.name.contains($0) }) ?? true {
            try measure(benchmark, runs: max(1, runs), valgrind: valgrind).emit()
        }
    }

    /// The child's side: sets `name` up, warms it up and makes `calls` calls in the measured region.
    static func runChild(name: String, calls: Int) throws {
        guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
            throw ValgrindError("no micro-benchmark named \(name)")
        }
        try runChild(benchmark, calls: calls)
    }

    private static func runChild<B: MicroBenchmark>(_: B.Type, calls: Int) throws {
        var benchmark = try B()
        try benchmark.run(calls: B.warmUpCalls)
        try measured { try benchmark.run(calls: calls) }
    }

    private static func measure<B: MicroBenchmark>(_: B.Type, runs: Int, valgrind: Valgrind?) throws -> JSONLine {
        var benchmark = try B()
        try benchmark.run(calls: B.warmUpCalls)
        let operations = B.timedCalls * B.operationsPerCall
        var nanosPerOperation: [Double] = []
        for _ in 0..<runs {
            let start = monotonicNow()
            try measured { try benchmark.run(calls: B.timedCalls) }
            nanosPerOperation.append(Double(monotonicNow() - start) / Double(operations))
        }

        // Valgrind runs the code some 50 times slower: a tenth of the calls.
        let countedCalls = max(1, B.timedCalls / 10)
        let counted = Double(countedCalls * B.operationsPerCall)
        var allocations = Double.nan, bytes = Double.nan, instructions = Double.nan, countedOperations = Double.nan
        if let valgrind {
            let command = [executablePath, "--micro-child", B.name, "--calls"]
            do {
                let none = try valgrind.heapTotals(of: command + ["0"])
                let some = try valgrind.heapTotals(of: command + ["\(countedCalls)"])
                allocations = Double(some.blocks - none.blocks) / counted
                bytes = Double(some.bytes - none.bytes) / counted
                instructions = Double(try valgrind.instructions(of: command + ["\(countedCalls)"], inside: measuredSymbol)) / counted
                countedOperations = counted
            } catch {
                FileHandle.standardError.write(Data("\(B.name): \(error)\n".utf8))
            }
        }

        var line = JSONLine()
        line.add("benchmark", B.name)
        line.add("unit", B.unit)
        line.add("operations", operations)
        line.add("runs", runs)
        line.add("nsPerOperation", median(nanosPerOperation), digits: 2)
        line.add("nsPerOperationPerRun", nanosPerOperation, digits: 2)
        line.add("allocationsPerOperation", allocations, digits: 4)
        line.add("bytesAllocatedPerOperation", bytes, digits: 1)
        line.add("instructionsPerOperation", instructions, digits: 1)
        line.add("countedOperations", countedOperations, digits: 0)
        return line
    }

    /// This executable, to run again under valgrind.
    private static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// The symbol of `measured`, for callgrind's `--toggle-collect`.
let measuredSymbol = "sluice_micro_measured"

/// Runs `body`: the measured region. Its symbol is fixed (Swift's mangled names would change with
/// its signature), so that callgrind counts the instructions of this call and what it calls, and
/// not the setup around it; never inlined, so that the symbol is called.
@_silgen_name("sluice_micro_measured")
@inline(never)
func measured(_ body: () throws -> Void) throws {
    try body()
}
