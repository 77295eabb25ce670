/// A payload type's plan as the decoder reads it on every line: copied to memory of its own, so
/// that finding it and passing it on costs no reference counting (two arrays' worth per line,
/// each an atomic increment and decrement). The decoder frees it.
struct PayloadPlan {
    let type: ObjectIdentifier
    /// nil where the payload is not `PlainDecodable`.
    let fields: UnsafeMutableBufferPointer<PlainFieldPlan.Field>?
    let keys: UnsafeMutableBufferPointer<UInt8>?

    init(type: ObjectIdentifier, plan: PlainFieldPlan?) {
        self.type = type
        guard let plan else {
            (fields, keys) = (nil, nil)
            return
        }
        let fields = UnsafeMutableBufferPointer<PlainFieldPlan.Field>.allocate(capacity: plan.fields.count)
        _ = fields.initialize(from: plan.fields)
        let keys = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: plan.keyBytes.count)
        _ = keys.initialize(from: plan.keyBytes)
        (self.fields, self.keys) = (fields, keys)
    }

    func deallocate() {
        fields?.deallocate()
        keys?.deallocate()
    }
}
