import Foundation
import Testing

/// `--metrics-port`: the run's counters in Prometheus' text format while it runs.
@Suite("metrics endpoint")
struct MetricsTests {
    @Test("GET /metrics answers with the counters of the running pipeline; other paths get 404")
    func metrics() async throws {
        let scratch = try TestEnvironment.scratch("metrics")
        defer { scratch.remove() }
        let child = try ChildProcess(TestEnvironment.auctionstats,
                                     ["--input", "events=tcp-listen://127.0.0.1:0", "--follow", "--output", "out=-", "--metrics-port", "0"])
        defer { child.killIfRunning() }
        let port = try await onThread { try child.listeningPort() }
        let metricsPort = try await onThread { try child.port(after: "metrics on http://127.0.0.1:") }
        let bids = (0..<3).map { "{\"type\":\"bid\",\"auction\":\($0),\"bidder\":1,\"price\":10,\"channel\":\"web\",\"url\":\"u\",\"dateTime\":\($0),\"extra\":\"\"}" }
        let producer = try await onThread { () throws -> LoopbackConnection in
            let connection = try LoopbackConnection.connect(port: port)
            try connection.writeAll(Array((bids.joined(separator: "\n") + "\n").utf8))
            return connection
        }
        defer { producer.close() }
        try await onThread { try child.waitForStdout(lines: 3) }
        let (status, body) = try await onThread { try httpRequest(port: metricsPort, "GET /metrics") }
        #expect(status == 200)
        #expect(body.contains("sluice_records_in_total 3"), "\(body)")
        #expect(body.contains("# TYPE sluice_records_out_total counter"), "\(body)")
        let (missing, _) = try await onThread { try httpRequest(port: metricsPort, "GET /nothing") }
        #expect(missing == 404)
        child.send(SIGTERM)
        #expect(await child.exit().exitCode == 0)
    }
}
