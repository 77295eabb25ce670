import Foundation
import NexmarkQueries

extension Suite {
    /// The latency percentiles of `nexmark latency` at `rate`, in a fresh process; nil (reported
    /// on stderr) when the run fails.
    func measureLatency(_ executable: String, query: NexmarkQuery, parallelism: Int, rate: Double) -> SuiteLatency? {
        let seconds = Latency.measuresWindows(query) ? windowLatencySeconds : latencySeconds
        let arguments = ["latency", "--query", query.rawValue, "--parallelism", String(parallelism),
                         "--rate", String(Int(rate)), "--seconds", String(seconds), "--warmup", String(seconds / 5)]
        do {
            let line = try runChild(executable, arguments)
            guard let latency = SuiteLatency(line: line) else { throw RunFailure("unreadable latency line: \(line)") }
            return latency
        } catch {
            FileHandle.standardError.write(Data("latency of \(query) at P=\(parallelism): \(error)\n".utf8))
            return nil
        }
    }
}
