extension JSONFieldDecoder {
    /// Decodes the scanned line as `Record` into `plainStorage` and returns true, or returns false
    /// when the line's tag is missing, is not a string, or names no type: `init(from:)` then decides.
    func decodeTagged<Record: TaggedDecodable>(_ type: Record.Type) throws -> Bool {
        guard let j = reader.pointee.index(of: Record.tagKey), !reader.pointee.isNull(at: j),
              let tag = try? reader.pointee.string(at: j), !reader.pointee.fallbackRequested else { return false }
        var payload = TaggedPayloadDecoder(decoder: self)
        do {
            let record = try Record.decode(tag: tag, payload: &payload)
            // Only now: decoding a payload larger than the record (an indirect case) moves the storage.
            // Moved, not copied: a copy retains every string of the record, and the original is
            // then released.
            plainStorage(for: Record.self).assumingMemoryBound(to: Record.self).initialize(to: consume record)
        } catch is TaggedPayloadDecoder.UnknownTag {
            return false
        }
        return true
    }

    /// The scanned line decoded as `Payload`, filled directly when it is `PlainDecodable`.
    func decodePayload<Payload: Decodable>(_ type: Payload.Type) throws -> Payload {
        let plan = payloadPlan(for: Payload.self)
        if let fields = plan.fields, let keys = plan.keys {
            let storage = plainStorage(for: Payload.self)
            if fillPlain(fields: UnsafeBufferPointer(fields), keys: UnsafeBufferPointer(keys), into: storage) {
                return storage.assumingMemoryBound(to: Payload.self).move()
            }
        }
        reader.pointee.start(reader.pointee.base)
        return try Payload(from: self)
    }

    /// The plan for a payload type, made on its first line.
    private func payloadPlan<Payload: Decodable>(for type: Payload.Type) -> PayloadPlan {
        let id = ObjectIdentifier(Payload.self)
        for known in payloadPlans where known.type == id { return known }
        let plan = PayloadPlan(type: id, plan: Payload.self is any PlainDecodable.Type ? PlainFieldPlan.make(decoding: Payload.self) : nil)
        payloadPlans.append(plan)
        return plan
    }
}
