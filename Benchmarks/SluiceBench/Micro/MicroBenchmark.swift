/// One hot path of the engine, measured per operation by `MicroBenchmarkRunner`: time, heap
/// allocations and instructions.
///
/// `init()` builds the input and the state outside the measurement; `run(calls:)` is the measured
/// work. After `warmUpCalls` it must do the same work on every call (a steady state), so that
/// the per-operation figures do not depend on how many calls a measurement makes: the
/// allocation figures are the difference between a run of `calls` calls and one of none.
protocol MicroBenchmark {
    /// The name in the JSON line, `micro-…`; `--filter` matches a part of it.
    static var name: String { get }
    /// What one operation is: "record", "batch", "entry".
    static var unit: String { get }
    /// Operations per call of `run(calls:)`.
    static var operationsPerCall: Int { get }
    /// Calls per timed run: tens of milliseconds of work. Runs under valgrind make a tenth.
    static var timedCalls: Int { get }
    /// Calls before any measurement, to reach the steady state.
    static var warmUpCalls: Int { get }

    init() throws

    /// Does `calls` calls' worth of operations.
    mutating func run(calls: Int) throws
}

extension MicroBenchmark {
    static var warmUpCalls: Int { max(1, timedCalls / 10) }
}
