import Testing
import SluiceNexmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Nexmark generator: event model")
struct GeneratorModelTests {
    @Test("kinds follow n % 50 (person 0, auction 1...3, bid 4...49)", arguments: [UInt64(0), 1, 42])
    func kindsFollowEventNumber(seed: UInt64) {
        var g = NexmarkGenerator(seed: seed)
        var counts: [NexmarkEvent.Kind: Int] = [:]
        for n in Int64(0)..<5_000 {
            let e = g.next()
            let rem = n % 50
            let expected: NexmarkEvent.Kind = rem == 0 ? .person : (rem <= 3 ? .auction : .bid)
            #expect(e.kind == expected, "event \(n)")
            #expect(NexmarkEvent.Kind(eventNumber: n) == expected)
            counts[e.kind, default: 0] += 1
        }
        #expect(counts[.person] == 100)
        #expect(counts[.auction] == 300)
        #expect(counts[.bid] == 4_600)
    }

    @Test("ids and event times follow the formulas", arguments: [1.0, 3.0, 7.0, 1_000.0, 10_000.0, 1_000_000.0])
    func idsAndTimes(rate: Double) {
        let base: Int64 = 1_735_689_600_000
        var g = NexmarkGenerator(seed: 7, rate: rate)
        var previous = Int64.min
        for n in Int64(0)..<3_000 {
            let e = g.next()
            #expect(e.dateTime == TestSupport.expectedDateTime(n, rate: rate, baseTime: base), "event \(n)")
            #expect(g.dateTime(ofEvent: n) == e.dateTime)
            #expect(e.dateTime >= previous, "files are ordered by event time")
            previous = e.dateTime
            let epoch = n / 50
            switch e {
            case .person(let p):
                #expect(p.id == epoch + 1000)
            case .auction(let a):
                #expect(a.id == epoch * 3 + (n % 50 - 1) + 1000)
                let hot = (epoch / 100) * 100 + 1000
                let numPeople = epoch + 1
                let active = min(numPeople, 1000)
                #expect(a.seller == hot || (numPeople - active + 1000 ..< numPeople + 10 + 1000).contains(a.seller))
            case .bid(let b):
                let lastAuction = epoch * 3 + 2
                let minAuction = max(lastAuction - 100, 0)
                let hotAuction = (lastAuction / 100) * 100 + 1000
                #expect(b.auction == hotAuction || (minAuction + 1000 ... lastAuction + 10 + 1000).contains(b.auction))
                let numPeople = epoch + 1
                let active = min(numPeople, 1000)
                let hotBidder = (epoch / 100) * 100 + 1001
                #expect(b.bidder == hotBidder || (numPeople - active + 1000 ..< numPeople + 10 + 1000).contains(b.bidder))
            }
        }
    }

    @Test("base time and rate of the configuration are used")
    func customBaseTime() {
        let g = NexmarkGenerator(configuration: .init(rate: 250, baseTime: 42_000))
        #expect(g.event(at: 0).dateTime == 42_000)
        #expect(g.event(at: 1_000).dateTime == 42_000 + 4_000)
        #expect(g.event(at: 1_001).dateTime == 42_000 + 4_004)
    }

    @Test("the same seed gives the same events; different seeds give different ones")
    func determinism() {
        let a = TestSupport.lines(NexmarkGenerator(seed: 123), count: 5_000)
        let b = TestSupport.lines(NexmarkGenerator(seed: 123), count: 5_000)
        #expect(a == b)
        for other in [UInt64(0), 124, .max] {
            let c = TestSupport.lines(NexmarkGenerator(seed: other), count: 5_000)
            let same = zip(a, c).filter { $0 == $1 }.count
            #expect(same == 0, "seed \(other): \(same) identical lines")
        }
    }

    @Test("event(at:), next(), appendNextLine, appendLines and writeFile agree")
    func accessPathsAgree() throws {
        let g = NexmarkGenerator(seed: 99)
        var sequential = g
        var oneByOne: [UInt8] = []
        var lineByLine = g
        for n in Int64(0)..<2_000 {
            #expect(sequential.next() == g.event(at: n))
            lineByLine.appendNextLine(into: &oneByOne)
        }
        #expect(sequential.nextEventNumber == 2_000)
        var batch = g
        var batched: [UInt8] = []
        batch.appendLines(2_000, into: &batched)
        #expect(batched == oneByOne)
        #expect(batch.nextEventNumber == 2_000)

        let path = "/tmp/sluice-nexmark-test-\(UInt64.random(in: 0 ... .max)).jsonl"
        let written = try g.writeFile(path: path, events: 2_000)
        defer { unlink(path) }
        #expect(written == oneByOne.count)
        let fileBytes = try readFile(path)
        #expect(fileBytes == oneByOne)

        // Skipping ahead gives the same events as generating through.
        var skipped = g
        skipped.nextEventNumber = 1_234
        #expect(skipped.next() == g.event(at: 1_234))
        var tail: [UInt8] = []
        skipped.nextEventNumber = 1_000
        skipped.appendLines(1_000, into: &tail)
        #expect(Array(oneByOne.suffix(tail.count)) == tail)
    }

    @Test("writeFile reports errors")
    func writeFileError() {
        let g = NexmarkGenerator(seed: 0)
        #expect(throws: NexmarkIOError.self) {
            try g.writeFile(path: "/nonexistent-dir/x.jsonl", events: 10)
        }
    }

    @Test("prices in 100...100_000_000, categories in 10..<15, expires after dateTime, reserve >= initialBid")
    func valueRanges() {
        var g = NexmarkGenerator(seed: 5)
        var prices: [Int64] = []
        var categories = Set<Int64>()
        for _ in 0..<50_000 {
            switch g.next() {
            case .person(let p):
                #expect(["AZ", "CA", "ID", "OR", "WA", "WY"].contains(p.state))
                #expect(p.creditCard.count == 19)
            case .auction(let a):
                #expect((100...100_000_000).contains(a.initialBid))
                #expect(a.reserve >= a.initialBid)
                #expect((10..<15).contains(a.category))
                categories.insert(a.category)
                #expect(a.expires > a.dateTime)
                // Within twice the time needed to create 100 auctions (1666 events = 166.6 ms).
                #expect(a.expires - a.dateTime <= 2 * 167 + 1)
            case .bid(let b):
                #expect((100...100_000_000).contains(b.price))
                prices.append(b.price)
            }
        }
        #expect(categories == Set(10..<15))
        // Log-uniform over 6 decades: the median is about 10^3 * 100 = 100,000 cents,
        // a sixth of the prices fall in each decade.
        prices.sort()
        let median = prices[prices.count / 2]
        #expect((80_000...125_000).contains(median), "median \(median)")
        let belowThousand = prices.filter { $0 < 1_000 }.count
        let share = Double(belowThousand) / Double(prices.count)
        #expect(abs(share - 1.0 / 6.0) < 0.01, "share below 1000: \(share)")
    }

    @Test("hot keys: 1/2 of bids on the hot auction, 3/4 from the hot bidder, 3/4 of auctions by the hot seller")
    func hotKeyShares() {
        var g = NexmarkGenerator(seed: 11)
        var bids = 0, hotAuction = 0, hotBidder = 0, hotChannel = 0
        var auctions = 0, hotSeller = 0
        for n in Int64(0)..<100_000 {
            let epoch = n / 50
            switch g.next() {
            case .bid(let b):
                bids += 1
                if b.auction == ((epoch * 3 + 2) / 100) * 100 + 1000 { hotAuction += 1 }
                if b.bidder == (epoch / 100) * 100 + 1001 { hotBidder += 1 }
                if ["Google", "Facebook", "Baidu", "Apple"].contains(b.channel) { hotChannel += 1 }
            case .auction(let a):
                auctions += 1
                if a.seller == (epoch / 100) * 100 + 1000 { hotSeller += 1 }
            case .person:
                break
            }
        }
        let auctionShare = Double(hotAuction) / Double(bids)
        let bidderShare = Double(hotBidder) / Double(bids)
        let channelShare = Double(hotChannel) / Double(bids)
        let sellerShare = Double(hotSeller) / Double(auctions)
        // Random picks hit the hot key now and then too, hence slightly above 1/2 and 3/4.
        #expect(abs(auctionShare - 0.505) < 0.01, "hot auction \(auctionShare)")
        #expect(abs(bidderShare - 0.75) < 0.01, "hot bidder \(bidderShare)")
        #expect(abs(channelShare - 0.5) < 0.01, "hot channel \(channelShare)")
        #expect(abs(sellerShare - 0.75) < 0.025, "hot seller \(sellerShare)")
    }

    @Test("hot ratios are configurable", arguments: [(1, 1), (3, 8)])
    func hotRatios(auctionRatio: Int, bidderRatio: Int) {
        var g = NexmarkGenerator(configuration: .init(
            seed: 3, hotAuctionRatio: auctionRatio, hotBiddersRatio: bidderRatio))
        var bids = 0, hotAuction = 0, hotBidder = 0
        for n in Int64(0)..<50_000 {
            guard case .bid(let b) = g.next() else { continue }
            let epoch = n / 50
            bids += 1
            if b.auction == ((epoch * 3 + 2) / 100) * 100 + 1000 { hotAuction += 1 }
            if b.bidder == (epoch / 100) * 100 + 1001 { hotBidder += 1 }
        }
        let expectedAuction = 1 - 1 / Double(auctionRatio)
        let expectedBidder = 1 - 1 / Double(bidderRatio)
        #expect(abs(Double(hotAuction) / Double(bids) - expectedAuction) < 0.02)
        #expect(abs(Double(hotBidder) / Double(bids) - expectedBidder) < 0.02)
    }

    @Test("extra pads events to about 200 / 500 / 100 bytes of payload")
    func extraPadding() {
        var g = NexmarkGenerator(seed: 17)
        var person: [Int] = [], auction: [Int] = [], bidExtra: [Int] = []
        for _ in 0..<50_000 {
            switch g.next() {
            case .person(let p):
                let size = 8 + p.name.utf8.count + p.emailAddress.utf8.count + p.creditCard.utf8.count
                    + p.city.utf8.count + p.state.utf8.count
                person.append(size + p.extra.utf8.count)
            case .auction(let a):
                auction.append(8 + a.itemName.utf8.count + a.description.utf8.count + 40 + a.extra.utf8.count)
            case .bid(let b):
                bidExtra.append(b.extra.utf8.count)
            }
        }
        func mean(_ v: [Int]) -> Double { Double(v.reduce(0, +)) / Double(v.count) }
        #expect(abs(mean(person) - 200) < 5, "person \(mean(person))")
        #expect(abs(mean(auction) - 500) < 10, "auction \(mean(auction))")
        // Bid extra: 68 bytes +- 20 % (54 ..< 82), so 32 + extra is 100 on average.
        #expect(bidExtra.allSatisfy { (54..<82).contains($0) })
        #expect(abs(mean(bidExtra) + 32 - 100) < 1, "bid \(mean(bidExtra) + 32)")
    }

    @Test("average sizes are configurable, including large and zero padding",
          arguments: [(0, 0, 0), (1_000, 3_000, 800)])
    func configuredSizes(person: Int, auction: Int, bid: Int) {
        let g = NexmarkGenerator(configuration: .init(
            seed: 2, avgPersonBytes: person, avgAuctionBytes: auction, avgBidBytes: bid))
        var copy = g
        var bytes: [UInt8] = []
        copy.appendLines(2_000, into: &bytes)
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
        #expect(lines.count == 2_000)
        #expect(lines.allSatisfy { $0.count + 1 <= g.maxLineLength })
        var extras: [NexmarkEvent.Kind: [Int]] = [:]
        for n in Int64(0)..<2_000 {
            let e = g.event(at: n)
            let extra: String
            switch e {
            case .person(let p): extra = p.extra
            case .auction(let a): extra = a.extra
            case .bid(let b): extra = b.extra
            }
            extras[e.kind, default: []].append(extra.utf8.count)
        }
        if bid == 0 {
            #expect(extras.values.allSatisfy { $0.allSatisfy { $0 == 0 } })
        } else {
            let bidMean = Double(extras[.bid]!.reduce(0, +)) / Double(extras[.bid]!.count)
            #expect(abs(bidMean - Double(bid - 32)) < Double(bid) * 0.02)
            #expect(extras[.auction]!.max()! > 512, "longer than the pool's minimum slack")
        }
    }

    @Test("channels: 4 hot channels and channel-K with one fixed URL each")
    func channels() {
        var g = NexmarkGenerator(seed: 8)
        var urlOf: [String: String] = [:]
        var withId = 0, others = 0
        for _ in 0..<30_000 {
            guard case .bid(let b) = g.next() else { continue }
            if let known = urlOf[b.channel] { #expect(known == b.url) } else { urlOf[b.channel] = b.url }
            #expect(b.url.hasPrefix("https://www.nexmark.com/"))
            if b.channel.hasPrefix("channel-") {
                others += 1
                let k = Int(b.channel.dropFirst("channel-".count))!
                #expect((0..<10_000).contains(k))
                if b.url.hasSuffix("&channel_id=\(reversedChannelId(k))") { withId += 1 }
            } else {
                #expect(["Google", "Facebook", "Baidu", "Apple"].contains(b.channel))
                #expect(b.url.hasSuffix("/item.htm?query=1"))
            }
        }
        #expect(reversedChannelId(1) == 2_147_483_648 && reversedChannelId(3) == 1_073_741_824)
        let share = Double(withId) / Double(others)
        #expect(abs(share - 0.9) < 0.03, "share of channel URLs with channel_id: \(share)")
    }

    /// Source instances whose bids carry the same URL string update its reference count from
    /// both cores on every bid. A generator's `withOwnStrings()` copy makes the same events, with
    /// not one URL string in common with the original or with another copy.
    @Test("a generator with its own strings makes the same events and shares no URL string")
    func ownStrings() {
        let original = NexmarkGenerator(seed: 3)
        let copies = [original.withOwnStrings(), original.withOwnStrings()]
        var storagesOf: [Set<UInt>] = Array(repeating: [], count: 3)
        var hotBids = 0
        for n in 0..<5_000 {
            let events = [original.event(at: Int64(n))] + copies.map { $0.event(at: Int64(n)) }
            #expect(events[1] == events[0] && events[2] == events[0])
            for (k, event) in events.enumerated() {
                guard case .bid(let b) = event else { continue }
                if k == 0 && !b.channel.hasPrefix("channel-") { hotBids += 1 }
                var url = b.url
                storagesOf[k].insert(url.withUTF8 { UInt(bitPattern: $0.baseAddress) })
            }
        }
        #expect(hotBids > 1_000)
        for i in 0..<3 {
            for j in (i + 1)..<3 {
                let shared = storagesOf[i].intersection(storagesOf[j]).count
                #expect(shared == 0, "generators \(i) and \(j) share \(shared) URL strings")
            }
        }
    }

    /// `abs(java.lang.Integer.reverse(k))` computed as `nexmark_gen.py` does, via a reversed bit string.
    func reversedChannelId(_ k: Int) -> Int64 {
        let reversed = String(String(UInt32(k), radix: 2).reversed())
        let bits = reversed + String(repeating: "0", count: 32 - reversed.count)
        let value = Int64(UInt32(bits, radix: 2)!)
        return value >= 1 << 31 ? (1 << 32) - value : value
    }
}
