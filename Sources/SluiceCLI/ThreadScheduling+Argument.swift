import ArgumentParser
import SluiceRuntime

/// `--thread-scheduling batch|normal`, parsed and checked by the argument parser for every
/// command that takes it (pipeline binaries and the benchmark tools): an unknown policy is a
/// usage error that lists the valid ones.
extension ThreadScheduling: ExpressibleByArgument {}
