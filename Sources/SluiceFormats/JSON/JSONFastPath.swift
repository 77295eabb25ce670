/// How `JSONFieldDecoder` may decode a line without `T.init(from:)`, chosen once per record type.
enum JSONFastPath {
    /// Through the keyed containers and `init(from:)`.
    case none
    /// A `PlainDecodable` struct: fill its properties per the plan.
    case plain(PlainFieldPlan)
    /// A `TaggedDecodable` record: read the tag, let the type decode the payload.
    case tagged(any TaggedDecodable.Type)

    /// The fast path for records of type `T`.
    static func choose<T: Decodable>(for type: T.Type) -> JSONFastPath {
        if T.self is any PlainDecodable.Type, let plan = PlainFieldPlan.make(decoding: T.self) { return .plain(plan) }
        if let tagged = T.self as? any TaggedDecodable.Type { return .tagged(tagged) }
        return .none
    }
}
