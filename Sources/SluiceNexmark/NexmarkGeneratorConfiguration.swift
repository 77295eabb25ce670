extension NexmarkGenerator {
    /// Settings of a ``NexmarkGenerator``; the names and defaults mirror `nexmark_gen.py`.
    public struct Configuration: Codable, Sendable, Hashable {
        /// 2025-01-01T00:00:00Z in epoch milliseconds (a multiple of 10 s): the default ``baseTime``.
        public static let defaultBaseTime: Int64 = 1_735_689_600_000

        /// Seed of all random draws; the same seed gives the same events.
        public var seed: UInt64
        /// Events per second of event time: event `n` has
        /// `dateTime = baseTime + floor(n * (1e6 / rate) / 1000)`. Must be positive.
        public var rate: Double
        /// Event time of event 0, in epoch milliseconds.
        public var baseTime: Int64
        /// Non-hot sellers and bidders are drawn among the last `numActivePeople` people
        /// (plus 10 ids not created yet).
        public var numActivePeople: Int
        /// Non-hot bids go to one of the last `numInFlightAuctions` auctions (plus 10 not created yet);
        /// auctions expire within about twice the event time it takes to create this many auctions.
        public var numInFlightAuctions: Int
        /// `1 - 1/hotAuctionRatio` of bids go to the hot auction (default 2: half).
        public var hotAuctionRatio: Int
        /// `1 - 1/hotSellersRatio` of auctions have the hot seller (default 4: three quarters).
        public var hotSellersRatio: Int
        /// `1 - 1/hotBiddersRatio` of bids come from the hot bidder (default 4: three quarters).
        public var hotBiddersRatio: Int
        /// Average payload bytes of a person, reached with `extra` padding.
        public var avgPersonBytes: Int
        /// Average payload bytes of an auction, reached with `extra` padding.
        public var avgAuctionBytes: Int
        /// Average payload bytes of a bid, reached with `extra` padding.
        public var avgBidBytes: Int

        /// Creates a configuration; every argument defaults to `nexmark_gen.py`'s default.
        public init(
            seed: UInt64 = 0,
            rate: Double = 10_000,
            baseTime: Int64 = Configuration.defaultBaseTime,
            numActivePeople: Int = 1000,
            numInFlightAuctions: Int = 100,
            hotAuctionRatio: Int = 2,
            hotSellersRatio: Int = 4,
            hotBiddersRatio: Int = 4,
            avgPersonBytes: Int = 200,
            avgAuctionBytes: Int = 500,
            avgBidBytes: Int = 100
        ) {
            self.seed = seed
            self.rate = rate
            self.baseTime = baseTime
            self.numActivePeople = numActivePeople
            self.numInFlightAuctions = numInFlightAuctions
            self.hotAuctionRatio = hotAuctionRatio
            self.hotSellersRatio = hotSellersRatio
            self.hotBiddersRatio = hotBiddersRatio
            self.avgPersonBytes = avgPersonBytes
            self.avgAuctionBytes = avgAuctionBytes
            self.avgBidBytes = avgBidBytes
        }
    }
}
