extension JSONFieldDecoder {
    /// Fills the properties of a value per `plan` from the scanned line into `storage` (at least
    /// the value's size, suitably aligned). Returns false (having cleaned up) when any field is
    /// not simply there: an error, a number Foundation would read its own way, an escaped key.
    /// The general path then decodes the line and reports what is wrong.
    func fillPlain(_ plan: PlainFieldPlan, into storage: UnsafeMutableRawPointer) -> Bool {
        plan.fields.withUnsafeBufferPointer { fields in
            plan.keyBytes.withUnsafeBufferPointer { keys in fillPlain(fields: fields, keys: keys, into: storage) }
        }
    }

    /// `fillPlain(_:into:)` for a plan's `fields` and `keyBytes`, as pointers.
    func fillPlain(fields: UnsafeBufferPointer<PlainFieldPlan.Field>, keys: UnsafeBufferPointer<UInt8>,
                   into storage: UnsafeMutableRawPointer) -> Bool {
        guard !reader.pointee.table.hasComplexKeys else { return false }
        var filled = 0
        for field in fields {
            let key = UnsafeBufferPointer(rebasing: keys[field.keyStart..<field.keyStart &+ field.keyCount])
            guard fill(storage + field.offset, field, key: key) else { break }
            filled &+= 1
        }
        if filled == fields.count { return true }
        for field in fields[..<filled] where field.scalar == .string {
            if field.optional {
                (storage + field.offset).assumingMemoryBound(to: String?.self).deinitialize(count: 1)
            } else {
                (storage + field.offset).assumingMemoryBound(to: String.self).deinitialize(count: 1)
            }
        }
        return false
    }

    @inline(__always)
    private func fill(_ target: UnsafeMutableRawPointer, _ field: PlainFieldPlan.Field, key: UnsafeBufferPointer<UInt8>) -> Bool {
        let j = reader.pointee.fastIndex(of: key)
        if j < 0 || reader.pointee.isNull(at: j) {
            guard field.optional else { return false }
            storeNil(field.scalar, target)
            return true
        }
        let optional = field.optional
        do {
            switch field.scalar {
            case .int: store(try reader.pointee.integer(Int.self, at: j), target, optional)
            case .int8: store(try reader.pointee.integer(Int8.self, at: j), target, optional)
            case .int16: store(try reader.pointee.integer(Int16.self, at: j), target, optional)
            case .int32: store(try reader.pointee.integer(Int32.self, at: j), target, optional)
            case .int64: store(try reader.pointee.integer(Int64.self, at: j), target, optional)
            case .uint: store(try reader.pointee.integer(UInt.self, at: j), target, optional)
            case .uint8: store(try reader.pointee.integer(UInt8.self, at: j), target, optional)
            case .uint16: store(try reader.pointee.integer(UInt16.self, at: j), target, optional)
            case .uint32: store(try reader.pointee.integer(UInt32.self, at: j), target, optional)
            case .uint64: store(try reader.pointee.integer(UInt64.self, at: j), target, optional)
            case .float: store(try reader.pointee.float(at: j), target, optional)
            case .double: store(try reader.pointee.double(at: j), target, optional)
            case .bool: store(try reader.pointee.bool(at: j), target, optional)
            case .string: store(try reader.pointee.string(at: j), target, optional)
            }
        } catch {
            return false
        }
        return !reader.pointee.fallbackRequested
    }

    @inline(__always)
    private func store<V>(_ value: V, _ target: UnsafeMutableRawPointer, _ optional: Bool) {
        if optional {
            target.assumingMemoryBound(to: V?.self).initialize(to: value)
        } else {
            target.assumingMemoryBound(to: V.self).initialize(to: value)
        }
    }

    private func storeNil(_ scalar: PlainFieldPlan.Scalar, _ target: UnsafeMutableRawPointer) {
        func none<V>(_ type: V.Type) { target.assumingMemoryBound(to: V?.self).initialize(to: nil) }
        switch scalar {
        case .int: none(Int.self)
        case .int8: none(Int8.self)
        case .int16: none(Int16.self)
        case .int32: none(Int32.self)
        case .int64: none(Int64.self)
        case .uint: none(UInt.self)
        case .uint8: none(UInt8.self)
        case .uint16: none(UInt16.self)
        case .uint32: none(UInt32.self)
        case .uint64: none(UInt64.self)
        case .float: none(Float.self)
        case .double: none(Double.self)
        case .bool: none(Bool.self)
        case .string: none(String.self)
        }
    }
}
