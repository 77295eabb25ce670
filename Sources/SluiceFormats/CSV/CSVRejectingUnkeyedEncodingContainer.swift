/// What an array inside a CSV record gets: every write throws (a field holds one value). The
/// encoder has already recorded the error, which it throws even if the value catches this one.
struct CSVRejectingUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    unowned(unsafe) let encoder: CSVFieldEncoder
    let codingPath: [any CodingKey]
    var count: Int { 0 }

    private func reject() -> EncodingError {
        .invalidValue([Any](), .init(codingPath: codingPath, debugDescription: "a CSV field cannot hold an array"))
    }

    mutating func encodeNil() throws { throw reject() }
    mutating func encode<T: Encodable>(_ value: T) throws { throw reject() }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(CSVKeyedEncodingContainer<NestedKey>(encoder: encoder, rejecting: true))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    mutating func superEncoder() -> any Encoder { encoder }
}
