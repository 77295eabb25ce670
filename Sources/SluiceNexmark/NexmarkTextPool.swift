/// Immutable text shared by all copies of a generator: pools of random letters that
/// strings are sliced from, and the rendered channels (names and URLs) of bids.
///
/// All text is lowercase letters, digits, spaces and `_@.:/?=&-`, so it never needs JSON escaping.
/// The memory is allocated once and never mutated after `init`, hence `@unchecked Sendable`.
final class NexmarkTextPool: @unchecked Sendable {
    /// Strings start at a uniform offset in `0..<poolLength`.
    let poolLength = 1 << 20
    /// Lowercase letters (for `extra`), `poolLength + slack` bytes.
    let letters: UnsafeMutablePointer<UInt8>
    /// Lowercase letters with 2 spaces per 314 symbols (for names and descriptions).
    let lettersWithSpaces: UnsafeMutablePointer<UInt8>
    /// Bytes after `poolLength` in each pool, at least the longest slice ever taken.
    let slack: Int
    /// Number of channels: 4 hot channels, then `channel-0` … `channel-9999`.
    let channelCount: Int
    /// Per channel, the JSON fragment `,"channel":"NAME","url":"URL","dateTime":`, concatenated.
    let fragments: UnsafeMutablePointer<UInt8>
    /// Start of channel `i`'s fragment is `fragmentStart[i]`, its end `fragmentStart[i + 1]`.
    let fragmentStart: UnsafeMutablePointer<Int>
    /// Length of the longest fragment.
    let maxFragmentLength: Int
    /// Channel names, for building ``Bid`` values (`channelCount` of them).
    let channelNames: UnsafeMutablePointer<String>
    /// Channel URLs, for building ``Bid`` values (`channelCount` of them); each generator
    /// running on its own thread copies them (see ``NexmarkChannelURLs``).
    let channelURLs: NexmarkChannelURLs

    init(seedKey: UInt64, maxSliceLength: Int) {
        var r = SplitMix64(state: SplitMix64.mix(seedKey ^ 0x7465_7874_706F_6F6C))
        slack = max(512, maxSliceLength + 1)
        let total = poolLength + slack
        letters = .allocate(capacity: total)
        lettersWithSpaces = .allocate(capacity: total)
        for i in 0..<total {
            letters[i] = 97 &+ UInt8(truncatingIfNeeded: r.nextInt(26))
        }
        for i in 0..<total {
            // 26 * 12 letters and 2 spaces, as nexmark_gen.py's alphabet_sp.
            let c = r.nextInt(26 * 12 + 2)
            lettersWithSpaces[i] = c >= 26 * 12 ? 32 : 97 &+ UInt8(truncatingIfNeeded: c % 26)
        }

        // nextString(random, maxLength, '_') of the reference: 3 or 4 letters, '_' with probability 1/13.
        func underscored(_ r: inout SplitMix64) -> String {
            let n = 3 + r.nextInt(2)
            var s = ""
            for _ in 0..<n {
                s.unicodeScalars.append(r.nextDouble() < 1.0 / 13.0
                    ? "_" : Unicode.Scalar(97 + UInt8(r.nextInt(26))))
            }
            return s
        }
        func baseURL(_ r: inout SplitMix64) -> String {
            let a = underscored(&r), b = underscored(&r), c = underscored(&r)
            return "https://www.nexmark.com/\(a)/\(b)/\(c)/item.htm?query=1"
        }
        var names: [String] = []
        var urls: [String] = []
        for hot in NexmarkModel.hotChannels {
            names.append(hot.description)
            urls.append(baseURL(&r))
        }
        for k in 0..<NexmarkModel.channelsNumber {
            var url = baseURL(&r)
            if r.nextDouble() < 0.9 {
                url += "&channel_id=\(NexmarkModel.reversedChannelId(k))"
            }
            names.append("channel-\(k)")
            urls.append(url)
        }
        channelNames = .allocate(capacity: names.count)
        channelNames.initialize(from: names, count: names.count)
        channelURLs = NexmarkChannelURLs(urls)
        channelCount = names.count

        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var longest = 0
        for i in 0..<names.count {
            let before = bytes.count
            bytes.append(contentsOf: #","channel":""#.utf8)
            bytes.append(contentsOf: names[i].utf8)
            bytes.append(contentsOf: #"","url":""#.utf8)
            bytes.append(contentsOf: urls[i].utf8)
            bytes.append(contentsOf: #"","dateTime":"#.utf8)
            starts.append(bytes.count)
            longest = max(longest, bytes.count - before)
        }
        maxFragmentLength = longest
        fragments = .allocate(capacity: bytes.count)
        fragments.initialize(from: bytes, count: bytes.count)
        fragmentStart = .allocate(capacity: starts.count)
        fragmentStart.initialize(from: starts, count: starts.count)
    }

    deinit {
        channelNames.deinitialize(count: channelCount).deallocate()
        letters.deallocate()
        lettersWithSpaces.deallocate()
        fragments.deallocate()
        fragmentStart.deallocate()
    }

    /// The pools as plain pointers, for the generating code, with the channel URLs of `urls`
    /// (this pool's or a copy): reading them needs no reference counting (see ``NexmarkTextView``).
    func view(urls: NexmarkChannelURLs) -> NexmarkTextView {
        NexmarkTextView(poolLength: poolLength, letters: letters, lettersWithSpaces: lettersWithSpaces,
                        fragments: fragments, fragmentStart: fragmentStart, channelNames: channelNames,
                        channelURLs: urls.urls)
    }
}
