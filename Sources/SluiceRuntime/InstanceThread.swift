#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A dedicated OS thread running one instance (a source or a gate reader and its fused chain).
public final class InstanceThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    public let name: String

    private init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    /// Starts `body` on a new thread.
    public static func start(name: String, _ body: @escaping () -> Void) -> InstanceThread {
        let instance = InstanceThread(name: name, body: body)
        let retained = Unmanaged.passRetained(instance).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let result = pthread_create(&instance.thread, &attributes, { raw in
            let instance = Unmanaged<InstanceThread>.fromOpaque(raw!).takeRetainedValue()
            instance.body()
            return nil
        }, retained)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "cannot start thread \(name): error \(result)")
        return instance
    }

    /// Waits for the thread to finish.
    public func join() {
        pthread_join(thread, nil)
    }
}
