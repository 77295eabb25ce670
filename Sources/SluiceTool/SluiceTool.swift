import ArgumentParser
import SluiceState

/// `sluice`: tools for operating Sluice pipelines.
@main
struct SluiceTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Tools for operating Sluice pipelines.",
        subcommands: [Checkpoint.self])

    struct Checkpoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Look into checkpoints.",
            subcommands: [Inspect.self])
    }

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a checkpoint directory's checkpoints: operators, key groups, sizes before and after compression, source positions, sink states.")

        @Argument(help: "A --checkpoint-dir, or one checkpoint (DIR/chk-N).")
        var path: String

        @Flag(help: "Skip reading and verifying every snapshot file.")
        var noVerify = false

        func run() throws {
            let isOneCheckpoint = CheckpointStore.checkpointID(directoryName: String(path.split(separator: "/").last ?? "")) != nil
            let text = isOneCheckpoint
                ? try CheckpointStore.inspectionText(path: path, verify: !noVerify)
                : try CheckpointStore(directory: path).inspectionText(verify: !noVerify)
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}
