import SluiceCore

/// The window state behind both keyed window operators: the pane store (tumbling, sliding) or the
/// session store, and the clock that drives it (watermarks or processing time).
///
/// Processing time is handled as a watermark of `now - 1`: when the clock reads `now`, every
/// millisecond before it has passed, so windows ending at or before `now` fire and a record
/// processed afterwards (stamped `now`) always lands in a window that has not fired yet.
@usableFromInline struct KeyedWindowStore<Key: PartitionKey, A: Aggregator> {
    @usableFromInline let timeDomain: TimeDomain
    // Optionals rather than an enum with payloads: mutating through `panes!` works in place,
    // where switching over an enum would copy the store (and its tables) on every batch.
    /// Tumbling and sliding windows laid out by pane, while the live panes are few enough.
    @usableFromInline var columns: PaneColumnStore<Key, A>?
    /// Tumbling and sliding windows laid out by key.
    @usableFromInline var panes: PaneWindowStore<Key, A>?
    @usableFromInline var sessions: SessionWindowStore<Key, A>?
    /// The processing time last given to `onProcessingTime` (0 before the first call).
    @usableFromInline var clock: Int64 = 0

    /// - Parameter paneLayout: for tumbling and sliding windows, whether the state starts laid out
    ///   by pane (when the windows have few panes; it moves to a layout by key if records come
    ///   too far apart in time) or is laid out by key throughout.
    @inlinable init(assigner: WindowAssigner, aggregator: A, allowedLateness: Int64, timeDomain: TimeDomain,
                    paneLayout: PaneLayout = .byPane) {
        precondition(allowedLateness >= 0, "allowed lateness must not be negative")
        self.timeDomain = timeDomain
        // Nothing is late in processing time, so lateness would only hold state longer.
        let lateness = timeDomain == .eventTime ? allowedLateness : 0
        switch assigner {
        case .tumbling(let size):
            (columns, panes) = Self.paneStores(size: size, slide: size, allowedLateness: lateness, aggregator: aggregator,
                                               layout: paneLayout)
        case .sliding(let size, let slide):
            (columns, panes) = Self.paneStores(size: size, slide: slide, allowedLateness: lateness, aggregator: aggregator,
                                               layout: paneLayout)
        case .session(let gap):
            sessions = SessionWindowStore(gap: gap, allowedLateness: lateness, aggregator: aggregator)
        }
    }

    /// The store of tumbling or sliding windows: by pane if `layout` asks and the windows allow it.
    @inlinable static func paneStores(size: Int64, slide: Int64, allowedLateness: Int64, aggregator: A, layout: PaneLayout)
        -> (PaneColumnStore<Key, A>?, PaneWindowStore<Key, A>?) {
        if layout == .byPane,
           let columns = PaneColumnStore<Key, A>(size: size, slide: slide, allowedLateness: allowedLateness, aggregator: aggregator) {
            return (columns, nil)
        }
        return (nil, PaneWindowStore(size: size, slide: slide, allowedLateness: allowedLateness, aggregator: aggregator))
    }

    /// Every window with `maxTimestamp` at or before this has fired.
    @inlinable var watermark: EventTime { columns?.watermark ?? panes?.watermark ?? sessions!.watermark }

    /// Live pane accumulators or sessions.
    @inlinable var stateSize: Int { columns?.paneCount ?? panes?.paneCount ?? sessions!.sessionCount }

    /// Pending timers, live and superseded (laid out by pane: live panes).
    @inlinable var timerCount: Int { columns?.timerCount ?? panes?.timerCount ?? sessions!.timerCount }

    /// Adds a record (at `eventTime`, or at the clock in processing time); `false` if it is late.
    /// Throws `WindowingError.missingEventTime` for a record without an event time in event time.
    @inline(__always)
    @inlinable mutating func add<S: WindowResultSink>(_ input: A.Input, key: Key, eventTime: EventTime, into sink: inout S) throws -> Bool
    where S.Key == Key, S.Value == A.Output {
        let time: EventTime
        if timeDomain == .eventTime {
            // Checked here, not trapped later as an overflow in the window arithmetic.
            guard eventTime != .noTime else { throw WindowingError.missingEventTime }
            time = eventTime
        } else {
            time = clock
        }
        if columns != nil {
            if let added = try columns!.add(input, key: key, time: time, into: &sink) { return added }
            layOutByKey()
        }
        if panes != nil { return try panes!.add(input, key: key, time: time, into: &sink) }
        return try sessions!.add(input, key: key, time: time, into: &sink)
    }

    /// Moves the state laid out by pane to the layout by key, for good.
    @usableFromInline mutating func layOutByKey() {
        panes = columns!.byKey()
        columns = nil
    }

    /// Handles a watermark (ignored in processing time), processing time (ignored in event time;
    /// fires the windows that ended before `now`) or the end of input (fires everything still
    /// pending and frees all state).
    @inlinable mutating func advance<S: WindowResultSink>(_ advance: TimeAdvance, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        switch advance {
        case .watermark(let watermark):
            guard timeDomain == .eventTime else { return }
            try self.advance(to: watermark, into: &sink)
        case .processingTime(let now):
            guard timeDomain == .processingTime, now > clock else { return }
            clock = now
            try self.advance(to: now - 1, into: &sink)
        case .end:
            try self.advance(to: .endOfTime, into: &sink)
        }
    }

    @inlinable mutating func advance<S: WindowResultSink>(to watermark: EventTime, into sink: inout S) throws
    where S.Key == Key, S.Value == A.Output {
        if columns != nil {
            try columns!.advance(to: watermark, into: &sink)
        } else if panes != nil {
            try panes!.advance(to: watermark, into: &sink)
        } else {
            try sessions!.advance(to: watermark, into: &sink)
        }
    }
}

/// How the state of tumbling and sliding windows is laid out (see `PaneColumnStore`).
@usableFromInline enum PaneLayout: Sendable, CaseIterable {
    /// By pane while the windows' live panes are few, then by key.
    case byPane
    /// By key throughout.
    case byKey
}
