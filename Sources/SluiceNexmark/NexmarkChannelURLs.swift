/// The channels' URLs, one heap string each, that generated ``Bid`` values carry.
///
/// Making a bid retains its URL and dropping the bid releases it: an atomic update of the
/// string's reference count. Source instances on different cores that take their URLs from one
/// table update the same counts, and the cache lines holding them move between the cores at every
/// bid (at P=2, 7 % more CPU per event on q7). So each instance takes its own table
/// (``NexmarkGenerator/withOwnStrings()``), whose strings its own thread allocates.
/// The table is never mutated after `init`, hence `@unchecked Sendable`.
final class NexmarkChannelURLs: @unchecked Sendable {
    let count: Int
    let urls: UnsafeMutablePointer<String>

    init(_ urls: [String]) {
        count = urls.count
        self.urls = .allocate(capacity: urls.count)
        self.urls.initialize(from: urls, count: urls.count)
    }

    /// The same URLs in strings of their own, allocated by the calling thread.
    func copy() -> NexmarkChannelURLs {
        NexmarkChannelURLs((0..<count).map { Self.freshCopy(of: urls[$0]) })
    }

    deinit {
        urls.deinitialize(count: count).deallocate()
    }

    /// A string equal to `s` in new storage (not `s`'s, as assigning or appending to an empty
    /// string would share).
    private static func freshCopy(of s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                _ = buffer.initialize(fromContentsOf: bytes)
                return bytes.count
            }
        }
    }
}
