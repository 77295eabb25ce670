#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CThreads

/// A dedicated OS thread running one instance (a source or a gate reader and its fused chain).
public final class InstanceThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    public let name: String

    private init(name: String, body: @escaping () -> Void) {
        self.name = name
        self.body = body
    }

    /// Starts `body` on a new thread, named for the system's tools (``systemName(for:)``) and
    /// scheduled as `scheduling` asks.
    public static func start(name: String, scheduling: ThreadScheduling = .normal,
                             _ body: @escaping () -> Void) -> InstanceThread {
        let instance = InstanceThread(name: name) {
            systemName(for: name).withCString { _ = sluice_name_current_thread($0) }
            // A refused policy (not Linux) leaves the thread under the normal one: slower at
            // most, never wrong.
            scheduling.applyToCurrentThread()
            body()
        }
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

    /// `name` cut to the 15 bytes Linux keeps of a thread's name, keeping its instance suffix
    /// (`#N`) so that the instances of one stage stay apart: `window(auction)#1` becomes
    /// `window(auctio#1`.
    public static func systemName(for name: String) -> String {
        let limit = 15
        guard name.utf8.count > limit else { return name }
        var suffix = name.lastIndex(of: "#").map { String(name[$0...]) } ?? ""
        if suffix.utf8.count >= limit { suffix = "" }
        var head = ""
        for scalar in name.unicodeScalars {
            guard head.utf8.count + UTF8.width(scalar) + suffix.utf8.count <= limit else { break }
            head.unicodeScalars.append(scalar)
        }
        return head + suffix
    }

    /// Waits for the thread to finish.
    public func join() {
        pthread_join(thread, nil)
    }
}
