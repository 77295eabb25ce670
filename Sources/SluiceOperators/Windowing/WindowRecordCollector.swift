/// The "aggregation" of the process-window operator: it keeps the records themselves, so that a
/// process function can see all of a window's records at once. `merge` concatenates, which lets
/// it reuse the panes and session merging of the aggregate stores unchanged.
@usableFromInline struct WindowRecordCollector<Input>: Aggregator {
    @inlinable init() {}

    @inlinable func makeAccumulator() -> [Input] { [] }
    @inlinable func add(_ input: Input, to records: inout [Input]) { records.append(input) }
    @inlinable func result(_ records: [Input]) -> [Input] { records }
    @inlinable func merge(_ other: [Input], into records: inout [Input]) { records.append(contentsOf: other) }
}
