import ArgumentParser

/// `nexmark`: tools around the Nexmark benchmark (generating input; running queries).
@main
struct Nexmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nexmark",
        abstract: "Nexmark benchmark tools for Sluice.",
        subcommands: [Generate.self]
    )
}
