import Sluice

/// Records held until the watermark passes their time, then released in event-time order.
///
/// Replaying each user's interactions, and all of them in the model stage, in event-time order
/// (not in arrival order) is what makes a list reflect exactly the interactions up to its own,
/// and what makes the output the same at every parallelism and after a resume.
///
/// The buffer keeps one event-time timer registered, at its earliest time: when it fires, the
/// watermark has passed that time and maybe many more, and everything up to the watermark goes
/// out at once — one timer per watermark, not one per record.
public struct EventTimeBuffer<Element: Codable & Sendable>: Codable, Sendable {
    private var groups: [Int64: [Element]] = [:]
    /// The times held, in increasing order.
    private var times: [Int64] = []
    /// The time of the registered timer.
    private var timer: Int64?

    public init() {}

    public var isEmpty: Bool { times.isEmpty }

    /// Holds `element` until the watermark passes `time`.
    public mutating func hold<Key: PartitionKey, Output>(_ element: Element, at time: Int64,
                                                         out: inout KeyedEmitter<Key, Output>) {
        if groups[time]?.append(element) == nil {
            groups[time] = [element]
            if let last = times.last, last > time {
                times.insert(time, at: times.partitionPoint { $0 > time })
            } else {
                times.append(time)
            }
        }
        if timer.map({ time < $0 }) ?? true {
            if let timer { out.deleteEventTimeTimer(at: timer) }
            timer = time
            out.registerEventTimeTimer(at: time)
        }
    }

    /// Called from `onTimer` when the buffer's timer fires: takes out everything up to the
    /// watermark, in time order and, within a time, ordered by `precedes` (ties in the order they
    /// came); registers the timer for what is still held.
    public mutating func release<Key: PartitionKey, Output>(_ fired: KeyedTimer<Key>, out: inout KeyedEmitter<Key, Output>,
                                                            orderedBy precedes: (Element, Element) -> Bool) -> [Element] {
        guard fired.time == timer else { return [] }
        let upTo = Swift.max(out.watermark, fired.time)
        let due = times.partitionPoint { $0 > upTo }
        var released: [Element] = []
        for time in times[..<due] {
            let group = groups.removeValue(forKey: time) ?? []
            if group.count == 1 {
                released.append(group[0])
            } else {
                released += group.enumerated().sorted { a, b in
                    precedes(a.element, b.element) || (!precedes(b.element, a.element) && a.offset < b.offset)
                }.map(\.element)
            }
        }
        times.removeFirst(due)
        timer = times.first
        if let next = timer { out.registerEventTimeTimer(at: next) }
        return released
    }
}
