import SluiceCore
import SluiceRuntime

/// What a source does with a line it cannot read (`--on-bad-record`).
public enum BadRecordPolicy: String, Sendable, CaseIterable {
    /// Count it, write it to the dead-letter file, go on.
    case skip
    /// Stop the pipeline with exit status 1, naming file, line and reason.
    case fail
}

/// Applies the bad-record policy for every source of a pipeline.
public final class BadRecordHandler: Sendable {
    public let policy: BadRecordPolicy
    public let deadLetter: DeadLetterFile
    /// Bad records seen, for metrics and the progress line.
    public let count = Counter()

    public init(policy: BadRecordPolicy, deadLetter: DeadLetterFile) {
        self.policy = policy
        self.deadLetter = deadLetter
    }

    /// Counts the record, then skips it or throws the error that stops the pipeline.
    public func handle(_ record: BadRecord) throws {
        count.add(1)
        switch policy {
        case .skip:
            try deadLetter.append(record)
        case .fail:
            throw PipelineError("bad record at \(record.location): \(record.reason)")
        }
    }
}
