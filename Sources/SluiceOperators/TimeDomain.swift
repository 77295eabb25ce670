/// Which clock drives a window or a timer.
public enum TimeDomain: Sendable, Hashable {
    /// Event time: windows follow the records' event times, and windows and timers fire on
    /// watermarks; late data is possible.
    case eventTime
    /// Processing time: the operator's clock (`onProcessingTime`) assigns records to windows when
    /// it processes them, and windows and timers fire when that clock passes them; nothing is late.
    case processingTime
}
