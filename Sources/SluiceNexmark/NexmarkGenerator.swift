#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A deterministic Nexmark event generator: the event model of `nexmark_gen.py` (and of the
/// Apache Beam / nexmark-Flink reference generators), implemented natively.
///
/// Events are numbered `n = 0, 1, 2, …`:
/// - the kind is fixed by `n % 50`: `0` person, `1...3` auction, `4...49` bid (1 : 3 : 46);
/// - `dateTime = baseTime + floor(n * (1e6 / rate) / 1000)`, so events are ordered by time;
/// - person id `n / 50 + 1000`, auction id `(n / 50) * 3 + (n % 50 - 1) + 1000`;
/// - hot keys: `1 - 1/hotSellersRatio` of auctions have the hot seller
///   `floor(lastPerson / 100) * 100 + 1000`, `1 - 1/hotAuctionRatio` of bids go to the hot auction
///   `floor(lastAuction / 100) * 100 + 1000`, `1 - 1/hotBiddersRatio` of bids come from the hot
///   bidder `floor(lastPerson / 100) * 100 + 1001`; the others are uniform among the last
///   `numActivePeople` people (+10) and the last `numInFlightAuctions` auctions (+10);
/// - prices `round(10^(6U) * 100)` cents (log-uniform in `100...100_000_000`), categories `10..<15`,
///   `expires` up to twice the time needed to create `numInFlightAuctions` auctions after `dateTime`;
/// - half the bids come from 4 hot channels, half from 10,000 others, each with a fixed URL;
/// - `extra` pads events to about `avgPersonBytes`, `avgAuctionBytes` and `avgBidBytes`.
///
/// Every event is drawn from its own random stream, seeded from `(seed, n)`, so
/// ``event(at:)`` gives any event directly and disjoint ranges can be generated in parallel.
/// Values are not bit-identical with `nexmark_gen.py` (it uses one Python `random` stream),
/// but the model and the distributions are the same. Generated strings never need JSON escaping.
public struct NexmarkGenerator: Sendable {
    /// The settings this generator was created with.
    public let configuration: Configuration
    /// The number of the event that ``next()`` and ``appendNextLine(into:)`` produce next
    /// (0 for a new generator); set it to skip to any event.
    public var nextEventNumber: Int64 = 0

    /// Keeps the text pools alive; the generating code reads them through ``pool``.
    private let poolOwner: NexmarkTextPool
    /// Keeps the channel URLs that ``pool`` points to alive: the pool's, or this generator's own
    /// copy (``withOwnStrings()``).
    private var urlsOwner: NexmarkChannelURLs
    /// The pools, read without reference counting (``NexmarkTextView``).
    private(set) var pool: NexmarkTextView
    let seedKey: UInt64
    let delayMicros: Double
    let baseTime: Int64
    /// Events needed to create `numInFlightAuctions` auctions (the auction expiry horizon).
    let eventsForAuctions: Int64
    let numActivePeople: Int64
    let numInFlightAuctions: Int64
    let hotAuctionRatio: Int
    let hotSellersRatio: Int
    let hotBiddersRatio: Int
    let avgPersonBytes: Int
    let avgAuctionBytes: Int
    /// A bid's `extra` length is `bidExtraMin + nextInt(bidExtraSpan)`.
    let bidExtraMin: Int
    let bidExtraSpan: Int
    /// Upper bounds of one JSON line of each kind, newline included.
    let maxPersonLineLength: Int
    let maxAuctionLineLength: Int
    let maxBidLineLength: Int

    /// Creates a generator; it precomputes its text pools (a few MB), which all copies share.
    ///
    /// - Precondition: `rate` is positive and finite, `numActivePeople`, `numInFlightAuctions`
    ///   and the hot ratios are at least 1, and the average sizes are not negative.
    public init(configuration: Configuration = Configuration()) {
        let c = configuration
        precondition(c.rate > 0 && c.rate.isFinite, "rate must be positive")
        precondition(c.numActivePeople >= 1 && c.numInFlightAuctions >= 1, "active people and in-flight auctions must be >= 1")
        precondition(c.hotAuctionRatio >= 1 && c.hotSellersRatio >= 1 && c.hotBiddersRatio >= 1, "hot ratios must be >= 1")
        precondition(c.avgPersonBytes >= 0 && c.avgAuctionBytes >= 0 && c.avgBidBytes >= 0, "average sizes must be >= 0")
        self.configuration = c
        seedKey = SplitMix64.mix(c.seed ^ 0x6E65_786D_6172_6B21)
        delayMicros = 1_000_000.0 / c.rate
        baseTime = c.baseTime
        eventsForAuctions = Int64(c.numInFlightAuctions) * NexmarkModel.totalProportion / NexmarkModel.auctionProportion
        numActivePeople = Int64(c.numActivePeople)
        numInFlightAuctions = Int64(c.numInFlightAuctions)
        hotAuctionRatio = c.hotAuctionRatio
        hotSellersRatio = c.hotSellersRatio
        hotBiddersRatio = c.hotBiddersRatio
        avgPersonBytes = c.avgPersonBytes
        avgAuctionBytes = c.avgAuctionBytes
        let bidBase = max(c.avgBidBytes - NexmarkModel.bidFixedBytes, 0)
        let bidDelta = Int(Double(bidBase) * 0.2 + 0.5)
        bidExtraMin = bidBase - bidDelta
        bidExtraSpan = 2 * bidDelta
        let maxPersonExtra = NexmarkModel.maxExtraLength(average: c.avgPersonBytes)
        let maxAuctionExtra = NexmarkModel.maxExtraLength(average: c.avgAuctionBytes)
        let maxBidExtra = bidExtraMin + bidExtraSpan
        poolOwner = NexmarkTextPool(seedKey: seedKey, maxSliceLength: max(maxPersonExtra, maxAuctionExtra, maxBidExtra, 100))
        urlsOwner = poolOwner.channelURLs
        pool = poolOwner.view(urls: urlsOwner)
        // Fixed text plus at most 20 bytes per integer and the longest strings
        // (name 14, e-mail 15, card 19, city 13, state 2; item 19, description 99).
        maxPersonLineLength = 256 + maxPersonExtra
        maxAuctionLineLength = 512 + maxAuctionExtra
        maxBidLineLength = 192 + poolOwner.maxFragmentLength + maxBidExtra
    }

    /// This generator with its own copies of the heap strings its events share (the channel
    /// URLs of bids), allocated by the calling thread; it makes the same events.
    ///
    /// Call it on each thread that generates (a source instance, through
    /// `PipelineBuilder.source(_:count:runLength:generatorPerInstance:)`): generators that
    /// share strings update the same reference counts from every core.
    public func withOwnStrings() -> NexmarkGenerator {
        var copy = self
        copy.urlsOwner = urlsOwner.copy()
        copy.pool = poolOwner.view(urls: copy.urlsOwner)
        return copy
    }

    /// Creates a generator with the given seed and rate and all other settings at their defaults.
    public init(seed: UInt64, rate: Double = 10_000) {
        self.init(configuration: Configuration(seed: seed, rate: rate))
    }

    /// The period of the event kinds: events `n` and `n + eventPatternLength` are of the same
    /// kind (of each 50, one person, three auctions and forty-six bids). Generating in runs of
    /// this length gives parallel generators the same mix of work.
    public static let eventPatternLength = Int(NexmarkModel.totalProportion)

    /// An upper bound of the length of one generated JSON line, newline included.
    public var maxLineLength: Int {
        max(maxPersonLineLength, maxAuctionLineLength, maxBidLineLength)
    }

    /// The event time of event `n`: `baseTime + floor(n * (1e6 / rate) / 1000)` epoch ms.
    @inline(__always)
    public func dateTime(ofEvent n: Int64) -> Int64 {
        baseTime + Int64(Double(n) * delayMicros) / 1000
    }

    /// Event number `n` (`n >= 0`), independently of ``nextEventNumber``.
    public func event(at n: Int64) -> NexmarkEvent {
        precondition(n >= 0, "event numbers start at 0")
        var r = rng(forEvent: n)
        let ts = dateTime(ofEvent: n)
        let rem = n % NexmarkModel.totalProportion
        if rem >= 4 {
            let b = rawBid(n, ts, &r)
            return .bid(Bid(
                auction: b.auction, bidder: b.bidder, price: b.price,
                channel: pool.channelNames[b.channel], url: pool.channelURLs[b.channel],
                dateTime: b.dateTime, extra: pool.lettersString(b.extra)))
        } else if rem == 0 {
            let p = rawPerson(n, ts, &r)
            let name = NexmarkModel.firstNames[p.firstName].description + " " + NexmarkModel.lastNames[p.lastName].description
            let email = pool.lettersWithSpacesString(p.emailUser) + "@" + pool.lettersWithSpacesString(p.emailDomain) + ".com"
            func four(_ v: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: 4 - s.count) + s
            }
            let card = four(p.creditCard0) + " " + four(p.creditCard1) + " " + four(p.creditCard2) + " " + four(p.creditCard3)
            return .person(Person(
                id: p.id, name: name, emailAddress: email, creditCard: card,
                city: NexmarkModel.usCities[p.city].description, state: NexmarkModel.usStates[p.state].description,
                dateTime: p.dateTime, extra: pool.lettersString(p.extra)))
        } else {
            let a = rawAuction(n, ts, &r)
            return .auction(Auction(
                id: a.id, itemName: pool.lettersWithSpacesString(a.itemName),
                description: pool.lettersWithSpacesString(a.description),
                initialBid: a.initialBid, reserve: a.reserve, dateTime: a.dateTime, expires: a.expires,
                seller: a.seller, category: a.category, extra: pool.lettersString(a.extra)))
        }
    }

    /// The event numbered ``nextEventNumber``; advances ``nextEventNumber`` by one.
    public mutating func next() -> NexmarkEvent {
        let e = event(at: nextEventNumber)
        nextEventNumber += 1
        return e
    }

    // MARK: - Random draws (shared by the struct and the JSON paths)

    /// The random stream of event `n`.
    @inline(__always)
    func rng(forEvent n: Int64) -> SplitMix64 {
        SplitMix64(state: SplitMix64.mix(seedKey &+ UInt64(bitPattern: n) &* SplitMix64.gamma))
    }

    /// `round(10^(6U) * 100)`: log-uniform cents in `100...100_000_000`.
    @inline(__always)
    func nextPrice(_ r: inout SplitMix64) -> Int64 {
        // 10^x = e^(x ln 10); 6 ln 10 = 13.815510557964274.
        Int64(exp(r.nextDouble() * 13.815510557964274) * 100.0 + 0.5)
    }

    /// `nextString(maxLength)`: `3 ..< maxLength` characters of the spaced pool, trimmed of spaces.
    @inline(__always)
    func nextString(_ maxLength: Int, _ r: inout SplitMix64) -> TextSlice {
        var length = 3 + r.nextInt(maxLength - 3)
        var offset = r.nextInt(pool.poolLength)
        let text = pool.lettersWithSpaces
        while length > 0 && text[offset] == 32 {
            offset += 1
            length -= 1
        }
        while length > 0 && text[offset + length - 1] == 32 {
            length -= 1
        }
        return TextSlice(offset: offset, length: length)
    }

    /// `nextExtra`: letters bringing an event of `currentSize` bytes to `desiredAverage` on average
    /// (uniform in `±20 %` of the difference), or nothing when it is already larger.
    @inline(__always)
    func nextExtra(_ currentSize: Int, _ desiredAverage: Int, _ r: inout SplitMix64) -> TextSlice {
        if currentSize > desiredAverage { return .empty }
        let wanted = desiredAverage - currentSize
        let delta = Int(Double(wanted) * 0.2 + 0.5)
        let length = wanted - delta + (delta == 0 ? 0 : r.nextInt(2 * delta))
        return TextSlice(offset: r.nextInt(pool.poolLength), length: length)
    }

    /// A base-0 person id among the last `numActivePeople` people, plus 10 not created yet.
    @inline(__always)
    func nextBase0PersonId(_ epoch: Int64, _ r: inout SplitMix64) -> Int64 {
        let numPeople = epoch + 1
        let active = min(numPeople, numActivePeople)
        return numPeople - active + Int64(r.nextInt(Int(active) + NexmarkModel.personIdLead))
    }

    @inline(__always)
    func rawPerson(_ n: Int64, _ ts: Int64, _ r: inout SplitMix64) -> RawPerson {
        let first = r.nextInt(NexmarkModel.firstNames.count)
        let last = r.nextInt(NexmarkModel.lastNames.count)
        let user = nextString(7, &r)
        let domain = nextString(5, &r)
        let c0 = r.nextInt(10_000), c1 = r.nextInt(10_000), c2 = r.nextInt(10_000), c3 = r.nextInt(10_000)
        let city = r.nextInt(NexmarkModel.usCities.count)
        let state = r.nextInt(NexmarkModel.usStates.count)
        let nameLength = NexmarkModel.firstNames[first].utf8CodeUnitCount + 1 + NexmarkModel.lastNames[last].utf8CodeUnitCount
        let emailLength = user.length + 1 + domain.length + 4
        let size = 8 + nameLength + emailLength + 19
            + NexmarkModel.usCities[city].utf8CodeUnitCount + NexmarkModel.usStates[state].utf8CodeUnitCount
        let extra = nextExtra(size, avgPersonBytes, &r)
        return RawPerson(
            id: NexmarkModel.lastBase0PersonId(n) + NexmarkModel.firstPersonId,
            firstName: first, lastName: last, emailUser: user, emailDomain: domain,
            creditCard0: c0, creditCard1: c1, creditCard2: c2, creditCard3: c3,
            city: city, state: state, dateTime: ts, extra: extra)
    }

    @inline(__always)
    func rawAuction(_ n: Int64, _ ts: Int64, _ r: inout SplitMix64) -> RawAuction {
        let epoch = n / NexmarkModel.totalProportion
        var seller: Int64
        if r.nextInt(hotSellersRatio) > 0 {
            seller = (epoch / NexmarkModel.hotGranule) * NexmarkModel.hotGranule
        } else {
            seller = nextBase0PersonId(epoch, &r)
        }
        seller += NexmarkModel.firstPersonId
        let category = NexmarkModel.firstCategoryId + Int64(r.nextInt(NexmarkModel.numCategories))
        let initialBid = nextPrice(&r)
        let horizon = dateTime(ofEvent: n + eventsForAuctions) - ts
        let expires = ts + 1 + Int64(r.nextInt(Int(max(horizon * 2, 1))))
        let itemName = nextString(20, &r)
        let description = nextString(100, &r)
        let reserve = initialBid + nextPrice(&r)
        let size = 8 + itemName.length + description.length + 40
        let extra = nextExtra(size, avgAuctionBytes, &r)
        return RawAuction(
            id: NexmarkModel.lastBase0AuctionId(n) + NexmarkModel.firstAuctionId,
            itemName: itemName, description: description, initialBid: initialBid, reserve: reserve,
            dateTime: ts, expires: expires, seller: seller, category: category, extra: extra)
    }

    @inline(__always)
    func rawBid(_ n: Int64, _ ts: Int64, _ r: inout SplitMix64) -> RawBid {
        let epoch = n / NexmarkModel.totalProportion
        let lastAuction = epoch * NexmarkModel.auctionProportion + 2
        var auction: Int64
        if r.nextInt(hotAuctionRatio) > 0 {
            auction = (lastAuction / NexmarkModel.hotGranule) * NexmarkModel.hotGranule
        } else {
            let minAuction = max(lastAuction - numInFlightAuctions, 0)
            auction = minAuction + Int64(r.nextInt(Int(lastAuction - minAuction) + 1 + NexmarkModel.auctionIdLead))
        }
        var bidder: Int64
        if r.nextInt(hotBiddersRatio) > 0 {
            bidder = (epoch / NexmarkModel.hotGranule) * NexmarkModel.hotGranule + 1
        } else {
            bidder = nextBase0PersonId(epoch, &r)
        }
        let price = nextPrice(&r)
        let channel: Int
        if r.nextInt(NexmarkModel.hotChannelsRatio) > 0 {
            channel = r.nextInt(NexmarkModel.hotChannels.count)
        } else {
            channel = NexmarkModel.hotChannels.count + r.nextInt(NexmarkModel.channelsNumber)
        }
        let length = bidExtraMin + r.nextInt(bidExtraSpan)
        let extra = TextSlice(offset: r.nextInt(pool.poolLength), length: length)
        auction += NexmarkModel.firstAuctionId
        bidder += NexmarkModel.firstPersonId
        return RawBid(auction: auction, bidder: bidder, price: price, channel: channel, dateTime: ts, extra: extra)
    }
}
