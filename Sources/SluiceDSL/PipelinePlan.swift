/// The physical plan of a pipeline, for `--explain` and for tests: every step with its
/// parallelism and how it receives its input.
public struct PipelinePlan: Sendable, Equatable, CustomStringConvertible {
    public struct Step: Sendable, Equatable {
        public var id: Int
        public var label: String
        public var parallelism: Int
        /// "source", "fused" (same thread as its input), or the exchange: forward, rebalance, broadcast, hash.
        public var connection: String
        public var inputs: [Int]
    }

    public var steps: [Step]

    /// The number of instance threads the plan starts.
    public var threadCount: Int {
        steps.reduce(0) { $0 + ($1.connection == "fused" ? 0 : $1.parallelism) }
    }

    public var description: String {
        steps.map { step in
            let from = step.inputs.isEmpty ? "" : " <- " + step.inputs.map(String.init).joined(separator: ",")
            return "\(step.id) \(step.label) ×\(step.parallelism) [\(step.connection)]\(from)"
        }.joined(separator: "\n")
    }
}
