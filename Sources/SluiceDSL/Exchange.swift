import SluiceCore
import SluiceRuntime

/// How records travel from a node's input instances to its own instances.
@usableFromInline
enum Exchange<Record> {
    /// Instance `i` feeds instance `i`; fused into the same thread when parallelisms match.
    case forward
    /// Batches spread round-robin.
    case rebalance
    /// Every instance sees every record.
    case broadcast
    /// By key group of the record's key.
    case hash(RecordPartitioner<Record>)
    /// None: the input is already partitioned by the key (`reinterpretAsKeyed`). Fused into the
    /// input's instances, each record's key group checked against the instance's.
    case alreadyKeyed(KeyOwnershipCheck<Record>.FindStranger)

    var name: String {
        switch self {
        case .forward: "forward"
        case .rebalance: "rebalance"
        case .broadcast: "broadcast"
        case .hash: "hash"
        case .alreadyKeyed: "already keyed"
        }
    }

    func routing(_ keyGroups: KeyGroups) -> Routing<Record> {
        switch self {
        case .forward, .alreadyKeyed: .forward
        case .rebalance: .rebalance
        case .broadcast: .broadcast
        case .hash(let partitioner): .partition(keyGroups, partitioner)
        }
    }
}
