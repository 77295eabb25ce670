/// Something blocking that must be woken when the pipeline stops or fails.
public protocol Cancellable: AnyObject, Sendable {
    func cancel()
}
