extension JSONFieldEncoder {
    /// Encodes a `PlainEncodable` value by reading its properties per `plan`, or returns false
    /// (leaving `buffer` as it was) when the general path must do it (NaN, infinity).
    func encodePlain<T>(_ value: T, plan: PlainFieldPlan, into buffer: inout [UInt8]) -> Bool {
        if plainKeys.count != plan.fields.count {
            plainKeys = plan.fields.indices.map { n in
                var writer = JSONWriter()
                writer.appendKey(plan.key(n))
                return writer.out
            }
        }
        swap(&writer.pointee.out, &buffer)
        defer { swap(&writer.pointee.out, &buffer) }
        let start = writer.pointee.out.count
        let written = withUnsafePointer(to: value) { writePlain(plan, from: UnsafeRawPointer($0)) }
        if !written { writer.pointee.out.removeSubrange(start...) }
        return written
    }

    private func writePlain(_ plan: PlainFieldPlan, from value: UnsafeRawPointer) -> Bool {
        writer.pointee.out.append(UInt8(ascii: "{"))
        var first = true
        for (n, field) in plan.fields.enumerated() {
            let p = value + field.offset
            let optional = field.optional
            // Reads the property; nil for an optional that is nil (left out, as encodeIfPresent does).
            func read<V>(_ type: V.Type) -> V? { optional ? p.load(as: V?.self) : p.load(as: V.self) }
            func key() {
                if !first { writer.pointee.out.append(UInt8(ascii: ",")) }
                first = false
                writer.pointee.out.append(contentsOf: plainKeys[n])
            }
            func integer<I: FixedWidthInteger>(_ type: I.Type) {
                guard let v = read(I.self) else { return }
                key()
                writer.pointee.appendInteger(v)
            }
            switch field.scalar {
            case .int: integer(Int.self)
            case .int8: integer(Int8.self)
            case .int16: integer(Int16.self)
            case .int32: integer(Int32.self)
            case .int64: integer(Int64.self)
            case .uint: integer(UInt.self)
            case .uint8: integer(UInt8.self)
            case .uint16: integer(UInt16.self)
            case .uint32: integer(UInt32.self)
            case .uint64: integer(UInt64.self)
            case .double:
                guard let v = read(Double.self) else { continue }
                guard v.isFinite else { return false }
                key()
                TextWriting.appendFloatingPoint(v, to: &writer.pointee.out)
            case .float:
                guard let v = read(Float.self) else { continue }
                guard v.isFinite else { return false }
                key()
                TextWriting.appendFloatingPoint(v, to: &writer.pointee.out)
            case .bool:
                guard let v = read(Bool.self) else { continue }
                key()
                writer.pointee.appendBool(v)
            case .string:
                guard let v = read(String.self) else { continue }
                key()
                writer.pointee.appendString(v)
            }
        }
        writer.pointee.out.append(UInt8(ascii: "}"))
        writer.pointee.out.append(UInt8(ascii: "\n"))
        return true
    }
}
