import Synchronization
import Testing
@testable import SluiceRuntime

@Suite("instance threads: names and scheduling")
struct InstanceThreadTests {
    /// What a started thread saw of itself.
    final class Observed: Sendable {
        let policy = Mutex<ThreadScheduling?>(nil)
    }

    #if os(Linux)
    @Test("a thread runs under the policy it was started with", arguments: ThreadScheduling.allCases)
    func policy(scheduling: ThreadScheduling) {
        let observed = Observed()
        InstanceThread.start(name: "policy-\(scheduling)#0", scheduling: scheduling) {
            observed.policy.withLock { $0 = ThreadScheduling.currentThread }
        }.join()
        #expect(observed.policy.withLock { $0 } == scheduling)
    }

    @Test("a thread started as normal by a batch thread runs as normal, not as its creator does")
    func normalIsSetNotInherited() {
        let observed = Observed()
        InstanceThread.start(name: "creator#0", scheduling: .batch) {
            InstanceThread.start(name: "created#0", scheduling: .normal) {
                observed.policy.withLock { $0 = ThreadScheduling.currentThread }
            }.join()
        }.join()
        #expect(observed.policy.withLock { $0 } == .normal)
    }
    #endif

    @Test("names Linux keeps whole stay as they are", arguments: ["", "src events#0", "exactly-15-byte"])
    func shortNames(name: String) {
        #expect(InstanceThread.systemName(for: name) == name)
    }

    @Test("a long name is cut to 15 bytes, keeping its instance suffix", arguments: [
        ("window(auction)#1", "window(auctio#1"),
        ("q5-bids-per-auction#12", "q5-bids-per-#12"),
        ("a-stage-without-a-suffix", "a-stage-without"),
        ("x#0123456789abcdefgh", "x#0123456789abc"),
        ("préférences-de-l'usager#3", "préférences#3"),
        ("ééééééééé#7", "éééééé#7"),
    ])
    func longNames(name: String, expected: String) {
        let cut = InstanceThread.systemName(for: name)
        #expect(cut == expected)
        #expect(cut.utf8.count <= 15)
    }
}
