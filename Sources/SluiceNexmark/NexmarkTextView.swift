/// What the generator reads of a ``NexmarkTextPool``, as plain pointers into it.
///
/// Every source instance's copy of a generator shares one pool. Reaching it through the class
/// reference retained and released the pool and its arrays around each use (the disassembly of
/// `event(at:)` shows it): atomic updates of objects that every source thread touches. The view
/// is only valid while its pool lives: the generator keeps both.
struct NexmarkTextView: @unchecked Sendable {
    let poolLength: Int
    let letters: UnsafeMutablePointer<UInt8>
    let lettersWithSpaces: UnsafeMutablePointer<UInt8>
    let fragments: UnsafeMutablePointer<UInt8>
    let fragmentStart: UnsafeMutablePointer<Int>
    let channelNames: UnsafeMutablePointer<String>
    let channelURLs: UnsafeMutablePointer<String>
    let hotURLReplicas: UnsafeMutablePointer<String>
    let hotChannelCount: Int

    /// The URL of `channel` for event `n`: for a hot channel, the replica of `n`'s run of the
    /// event pattern (see ``NexmarkTextPool/hotURLReplicas``).
    @inline(__always)
    func url(ofChannel channel: Int, event n: Int64) -> String {
        guard channel < hotChannelCount else { return channelURLs[channel] }
        return hotURLReplicas[Self.urlReplica(ofEvent: n) &* hotChannelCount &+ channel]
    }

    /// Which replica of the hot channels' URLs event `n` takes: runs of the event pattern, as
    /// generated sources deal them to their instances, take the replicas in turn.
    @inline(__always)
    static func urlReplica(ofEvent n: Int64) -> Int {
        Int((n / Int64(NexmarkGenerator.eventPatternLength)) % Int64(NexmarkTextPool.urlReplicas))
    }

    /// The string for a slice of ``letters``.
    func lettersString(_ s: TextSlice) -> String {
        String(decoding: UnsafeBufferPointer(start: letters + s.offset, count: s.length), as: UTF8.self)
    }

    /// The string for a slice of ``lettersWithSpaces``.
    func lettersWithSpacesString(_ s: TextSlice) -> String {
        String(decoding: UnsafeBufferPointer(start: lettersWithSpaces + s.offset, count: s.length), as: UTF8.self)
    }
}
