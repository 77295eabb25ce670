/// Which clock assigns records to windows and fires them.
public enum WindowTimeDomain: Sendable, Hashable {
    /// Windows follow the records' event times and fire on watermarks; late data is possible.
    case eventTime
    /// Windows follow the clock of the operator (`onProcessingTime`) when it processes a record,
    /// and fire when that clock passes them; nothing is ever late.
    case processingTime
}
