import SluiceCore
import SluiceRuntime

/// The pipeline as the DSL built it: nodes in creation order, which is a topological order
/// since a node is made after its inputs. Nothing runs until a runner instantiates it.
public final class LogicalGraph {
    // Inlinable DSL steps reach these, so they are usable from inlinable code.
    private(set) var nodes: [LogicalNode] = []
    private var operatorIDs: Set<String> = []
    /// Mistakes found while defining (duplicate names, say), reported when the pipeline starts.
    private(set) var definitionErrors: [String] = []

    init() {}

    @usableFromInline
    func add<Node: LogicalNode>(_ node: Node) -> Node {
        node.id = nodes.count
        nodes.append(node)
        return node
    }

    @usableFromInline
    func claimOperatorID(_ id: String, kind: String) {
        if !operatorIDs.insert("\(kind):\(id)").inserted {
            definitionErrors.append("two \(kind)s are named \"\(id)\": names must be unique")
        }
    }

    /// The pipeline's shape as checkpoints record it: its named steps, sources and sinks.
    var shape: [String] { operatorIDs.sorted() }

    var sourceNames: [String] { nodes.compactMap { ($0 as? any NamedEndpointNode)?.sourceName } }
    var sinkNames: [String] { nodes.compactMap { ($0 as? any NamedEndpointNode)?.sinkName } }
}

/// A step of the logical graph, without its record type.
@usableFromInline
class LogicalNode {
    var id = -1
    @usableFromInline let label: String
    /// Resolved by the planner.
    var parallelism = 0

    init(label: String) {
        self.label = label
    }

    /// The nodes this one reads from.
    var upstream: [LogicalNode] { [] }

    /// How this node's instances receive their input: "source", "fused", or an exchange name.
    var connection: String { "source" }

    /// The node whose instances start the threads this node's instances run on: this node, or
    /// the first before it that is not fused (nil if a fused node on the way has several inputs).
    var chainStart: LogicalNode? {
        var node: LogicalNode = self
        while node.connection == "fused" {
            guard node.upstream.count == 1 else { return nil }
            node = node.upstream[0]
        }
        return node
    }

    /// Whether each instance's records are those of the key groups it owns: the node is a keyed
    /// step, or fused after one (stateless steps keep their records on their instance). Whether
    /// the key is the one a later step reads is checked per record.
    var isKeyedOutput: Bool { chainStart?.connection == "hash" }

    /// Decides this node's parallelism; inputs are resolved already.
    func resolveParallelism(_ builder: ExecutionBuilder) throws -> Int { 1 }

    /// Creates this node's instances and wires them to their inputs' outputs.
    func instantiate(_ builder: ExecutionBuilder) throws {}
}

/// A node whose instances produce records of type `Record`.
@usableFromInline
class TypedNode<Record>: LogicalNode {
    /// One output per instance, created by `instantiate`.
    var outputs: [Output<Record>] = []

    func makeOutputs(_ builder: ExecutionBuilder) {
        let counter = builder.counter(for: label)
        outputs = (0..<parallelism).map { _ in Output<Record>(records: counter) }
    }
}

/// A node bound to a name given on the command line.
protocol NamedEndpointNode {
    var sourceName: String? { get }
    var sinkName: String? { get }
}
