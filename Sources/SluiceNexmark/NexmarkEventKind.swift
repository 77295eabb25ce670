extension NexmarkEvent {
    /// The three kinds of Nexmark events; the raw value is the JSON `"type"`.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// A ``Person`` (event numbers with `n % 50 == 0`).
        case person
        /// An ``Auction`` (event numbers with `n % 50` in `1...3`).
        case auction
        /// A ``Bid`` (event numbers with `n % 50` in `4...49`).
        case bid

        /// The kind of generated event number `n` (`n >= 0`): fixed by `n % 50`,
        /// person : auction : bid = 1 : 3 : 46.
        @inlinable
        public init(eventNumber n: Int64) {
            let rem = n % 50
            self = rem == 0 ? .person : (rem < 4 ? .auction : .bid)
        }
    }
}
