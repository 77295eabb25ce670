import SluiceCore

/// Why a window operator stopped the pipeline.
public enum WindowingError: Error, Equatable, CustomStringConvertible {
    /// An event-time window got a record without an event time (`EventTime.noTime`): the source
    /// assigns no timestamps. Windows cannot place such a record, and dropping it would be silent.
    case missingEventTime

    public var description: String {
        switch self {
        case .missingEventTime:
            "an event-time window got a record without an event time; assign timestamps at the source (withEventTime)"
        }
    }
}
