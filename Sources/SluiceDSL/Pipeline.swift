import SluiceCore
import SluiceConnectors
import SluiceRuntime

/// A defined pipeline, ready to plan and run.
public struct Pipeline {
    let graph: LogicalGraph

    /// Builds a pipeline with `define`.
    public init(_ define: (inout PipelineBuilder) throws -> Void) rethrows {
        var builder = PipelineBuilder()
        try define(&builder)
        graph = builder.graph
    }

    public var sourceNames: [String] { graph.sourceNames }
    public var sinkNames: [String] { graph.sinkNames }

    /// Resolves parallelism and connections without starting anything.
    public func plan(_ options: RunOptions) throws -> PipelinePlan {
        _ = try prepare(options, context: ExecutionContext())
        return PipelinePlan(steps: graph.nodes.map { node in
            PipelinePlan.Step(id: node.id, label: node.label, parallelism: node.parallelism,
                              connection: node.connection, inputs: node.upstream.map(\.id))
        })
    }

    /// Runs the pipeline until its inputs end (or a stop is requested through `context`),
    /// and returns what it did; throws the first failure of any instance.
    @discardableResult
    public func run(_ options: RunOptions, context: ExecutionContext = ExecutionContext(),
                    monitor: ((RunProgress) -> Void)? = nil) throws -> RunSummary {
        let builder = try prepare(options, context: context)
        for node in graph.nodes { try node.instantiate(builder) }
        let progress = RunProgress(builder: builder)
        let started = monotonicNanos()
        let coordinator = builder.checkpointing
        if let coordinator {
            coordinator.start(chains: builder.tasks.count)
            context.onStopRequested { coordinator.triggerFinal() }
        }
        let threads = builder.tasks.enumerated().map { chain, task in
            InstanceThread.start(name: task.name, scheduling: options.threadScheduling) {
                do {
                    try task.body()
                    if !context.isFailed { coordinator?.chainFinished(chain) }
                } catch is CancelledError {
                    // Another instance failed first; its error is the one reported.
                } catch {
                    context.fail(error)
                }
            }
        }
        let watcher = monitor.map { monitor in ProgressWatcher(progress: progress, every: monitor) }
        for thread in threads { thread.join() }
        coordinator?.stop()
        watcher?.stop()
        if let failure = context.failure { throw failure }
        return RunSummary(recordsIn: progress.recordsIn, recordsOut: progress.recordsOut,
                          badRecords: builder.badRecords.count.value, droppedLateRecords: progress.droppedLateRecords,
                          alignmentPauses: progress.alignmentPauses,
                          alignmentWaitSeconds: Double(progress.alignmentWaitNanos) / 1e9,
                          seconds: Double(monotonicNanos() - started) / 1e9)
    }

    private func prepare(_ options: RunOptions, context: ExecutionContext) throws -> ExecutionBuilder {
        if let first = graph.definitionErrors.first { throw UsageError(first) }
        guard options.parallelism >= 1 && options.parallelism <= options.maxParallelism else {
            throw UsageError("--parallelism must be between 1 and \(options.maxParallelism)")
        }
        for name in options.inputs.keys where !graph.sourceNames.contains(name) {
            throw UsageError("--input \(name)=…: the pipeline has no source named \"\(name)\" (sources: \(graph.sourceNames.joined(separator: ", ")))")
        }
        for name in options.outputs.keys where !graph.sinkNames.contains(name) {
            throw UsageError("--output \(name)=…: the pipeline has no sink named \"\(name)\" (sinks: \(graph.sinkNames.joined(separator: ", ")))")
        }
        let deadLetter = DeadLetterFile(path: options.resolvedDeadLetterPath(sinkNames: graph.sinkNames),
                                        appends: options.resume != nil)
        let restore = try CheckpointFiles.restorePlan(options, shape: graph.shape)
        let checkpointing = try options.checkpointDirectory.map { directory in
            let storage = try CheckpointFiles(directory: directory, options: options, shape: graph.shape)
            return CheckpointCoordinator(storage: storage, intervalNanos: Int64(options.checkpointInterval.milliseconds) * 1_000_000,
                                         firstID: max(storage.firstID, (restore?.checkpointID ?? 0) + 1))
        }
        let builder = ExecutionBuilder(options: options, context: context,
                                       badRecords: BadRecordHandler(policy: options.onBadRecord, deadLetter: deadLetter),
                                       checkpointing: checkpointing, restore: restore)
        for node in graph.nodes { node.parallelism = try node.resolveParallelism(builder) }
        return builder
    }
}

/// What a finished run did.
public struct RunSummary: Sendable {
    public var recordsIn: Int
    public var recordsOut: Int
    public var badRecords: Int
    /// Records too late for their windows or joins that no late-data output took.
    public var droppedLateRecords: Int
    /// Times a source instance paused for running ahead of its watermark alignment group.
    public var alignmentPauses: Int
    /// Time source instances spent paused by watermark alignment, in all.
    public var alignmentWaitSeconds: Double
    public var seconds: Double
}
