/// Records held until the watermark passes their time, grouped by time: a stage registers one
/// event-time timer per time it holds, and the timer takes that group out.
///
/// Replaying each user's interactions, and all of them in the model stage, in event-time order
/// (not in arrival order) is what makes a list reflect exactly the interactions up to its own,
/// and what makes the output the same at every parallelism and after a resume.
public struct EventTimeBuffer<Element: Codable & Sendable>: Codable, Sendable {
    private var groups: [Int64: [Element]] = [:]

    public init() {}

    public var isEmpty: Bool { groups.isEmpty }

    /// Holds `element` until `time`; true if nothing was held for that time yet (so the caller
    /// registers a timer for it).
    public mutating func add(_ element: Element, at time: Int64) -> Bool {
        if groups[time]?.append(element) != nil { return false }
        groups[time] = [element]
        return true
    }

    /// Takes out what was held for `time`, ordered by `precedes`, ties in the order they came.
    public mutating func take(at time: Int64, orderedBy precedes: (Element, Element) -> Bool) -> [Element] {
        guard let group = groups.removeValue(forKey: time) else { return [] }
        guard group.count > 1 else { return group }
        return group.enumerated().sorted { a, b in
            precedes(a.element, b.element) || (!precedes(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
    }
}
