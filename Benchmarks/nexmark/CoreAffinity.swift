import CAffinity

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The CPUs a run may use: `nexmark run --cores N` gives a run fewer of them, so that scaling can
/// be measured with the cores as well as the parallelism (at parallelism 1 a query already runs a
/// thread per stage behind an exchange, on as many cores as it finds).
enum CoreAffinity {
    /// How many CPUs this process may run on, or nil where that cannot be told (not Linux).
    static var availableCores: Int? {
        let count = sluice_available_cpus()
        return count > 0 ? Int(count) : nil
    }

    /// Restricts this thread, and every thread it starts from now on, to the first `count` CPUs
    /// it may run on: call it before the pipeline starts its threads.
    static func restrict(toFirst count: Int) throws {
        let available = availableCores
        guard sluice_restrict_to_first_cpus(Int32(clamping: count)) == 0 else {
            let reason = String(cString: strerror(errno))
            throw RunFailure("--cores \(count): cannot run on \(count) CPUs (\(available.map { "\($0) available" } ?? "not supported here")): \(reason)")
        }
    }
}
