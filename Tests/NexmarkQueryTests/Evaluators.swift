import Testing
import NexmarkQueries
import SluiceNexmark

/// Brute-force evaluators of the Nexmark queries, straight from `nexmark.md`'s definitions: plain
/// loops and dictionaries over the whole list of events, sharing no code with the DSL queries.
enum Reference {
    static let tumblingSize: Int64 = 10_000
    static let slidingSize: Int64 = 10_000
    static let slidingSlide: Int64 = 2_000
    static let sessionGap: Int64 = 10_000

    static func bids(_ events: [NexmarkEvent]) -> [Bid] {
        events.compactMap { if case .bid(let b) = $0 { b } else { nil } }
    }

    static func auctions(_ events: [NexmarkEvent]) -> [Auction] {
        events.compactMap { if case .auction(let a) = $0 { a } else { nil } }
    }

    static func persons(_ events: [NexmarkEvent]) -> [Person] {
        events.compactMap { if case .person(let p) = $0 { p } else { nil } }
    }

    /// The start of the epoch-aligned window of `size` containing `time` (times are positive).
    static func floorTo(_ time: Int64, _ size: Int64) -> Int64 { time - time % size }

    static func q0(_ events: [NexmarkEvent]) -> [Bid] { bids(events) }

    static func q1(_ events: [NexmarkEvent]) -> [ConvertedBid] {
        bids(events).map {
            ConvertedBid(auction: $0.auction, bidder: $0.bidder, price: Double($0.price) * 0.908,
                         channel: $0.channel, url: $0.url, dateTime: $0.dateTime, extra: $0.extra)
        }
    }

    static func q2(_ events: [NexmarkEvent]) -> [AuctionPrice] {
        var rows: [AuctionPrice] = []
        for bid in bids(events) where bid.auction % 123 == 0 {
            rows.append(AuctionPrice(auction: bid.auction, price: bid.price))
        }
        return rows
    }

    static func q3(_ events: [NexmarkEvent]) -> [LocalItemSuggestion] {
        var sellers: [Int64: Person] = [:]
        for person in persons(events) where ["OR", "ID", "CA"].contains(person.state) {
            sellers[person.id] = person
        }
        var rows: [LocalItemSuggestion] = []
        for auction in auctions(events) where auction.category == 10 {
            if let person = sellers[auction.seller] {
                rows.append(LocalItemSuggestion(name: person.name, city: person.city, state: person.state, id: auction.id))
            }
        }
        return rows
    }

    /// q4: per category, the number of auctions with a winning bid and the average winning price.
    static func q4(_ events: [NexmarkEvent]) -> [Int64: (winners: Int, average: Double)] {
        var bidsByAuction: [Int64: [Bid]] = [:]
        for bid in bids(events) { bidsByAuction[bid.auction, default: []].append(bid) }
        var sums: [Int64: (sum: Int64, count: Int)] = [:]
        for auction in auctions(events) {
            var best: Int64?
            for bid in bidsByAuction[auction.id] ?? [] where bid.dateTime >= auction.dateTime && bid.dateTime <= auction.expires {
                best = max(best ?? bid.price, bid.price)
            }
            if let best {
                sums[auction.category, default: (0, 0)].sum += best
                sums[auction.category, default: (0, 0)].count += 1
            }
        }
        return sums.mapValues { (winners: $0.count, average: Double($0.sum) / Double($0.count)) }
    }

    static func q5(_ events: [NexmarkEvent]) -> [HotItem] {
        var counts: [Int64: [Int64: Int]] = [:]   // window start → auction → bids
        for bid in bids(events) {
            var start = floorTo(bid.dateTime, slidingSlide)
            while start > bid.dateTime - slidingSize {
                counts[start, default: [:]][bid.auction, default: 0] += 1
                start -= slidingSlide
            }
        }
        var rows: [HotItem] = []
        for (start, perAuction) in counts {
            let most = perAuction.values.max()!
            for (auction, count) in perAuction where count == most {
                rows.append(HotItem(windowStart: start, auction: auction, count: count))
            }
        }
        return rows
    }

    static func q7(_ events: [NexmarkEvent]) -> [HighestBid] {
        var byWindow: [Int64: [Bid]] = [:]
        for bid in bids(events) { byWindow[floorTo(bid.dateTime, tumblingSize), default: []].append(bid) }
        var rows: [HighestBid] = []
        for (start, windowBids) in byWindow {
            let highest = windowBids.map(\.price).max()!
            for bid in windowBids where bid.price == highest {
                rows.append(HighestBid(windowStart: start, auction: bid.auction, bidder: bid.bidder,
                                       price: bid.price, dateTime: bid.dateTime))
            }
        }
        return rows
    }

    static func q8(_ events: [NexmarkEvent]) -> [NewUser] {
        var sellers: Set<[Int64]> = []   // [window start, seller]
        for auction in auctions(events) { sellers.insert([floorTo(auction.dateTime, tumblingSize), auction.seller]) }
        var rows: Set<NewUser> = []
        for person in persons(events) {
            let start = floorTo(person.dateTime, tumblingSize)
            if sellers.contains([start, person.id]) {
                rows.insert(NewUser(windowStart: start, id: person.id, name: person.name))
            }
        }
        return Array(rows)
    }

    static func q11(_ events: [NexmarkEvent]) -> [BidderWindowCount] {
        var times: [Int64: [Int64]] = [:]
        for bid in bids(events) { times[bid.bidder, default: []].append(bid.dateTime) }
        var rows: [BidderWindowCount] = []
        for (bidder, unsorted) in times {
            let sorted = unsorted.sorted()
            var first = sorted[0], last = sorted[0], count = 1
            for time in sorted.dropFirst() {
                if time - last >= sessionGap {
                    rows.append(BidderWindowCount(bidder: bidder, count: count, windowStart: first, windowEnd: last + sessionGap))
                    first = time
                    count = 0
                }
                last = time
                count += 1
            }
            rows.append(BidderWindowCount(bidder: bidder, count: count, windowStart: first, windowEnd: last + sessionGap))
        }
        return rows
    }

    /// q12's fixed part: the number of bids per bidder.
    static func bidsPerBidder(_ events: [NexmarkEvent]) -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for bid in bids(events) { counts[bid.bidder, default: 0] += 1 }
        return counts
    }
}

/// How many times each element occurs.
func multiset<T: Hashable>(_ elements: [T]) -> [T: Int] {
    elements.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}

/// Expects `actual` and `expected` to be equal as multisets; on failure names a few of the rows
/// that differ instead of printing both collections.
func expectSameRows<T: Hashable>(_ actual: [T], _ expected: [T], sourceLocation: SourceLocation = #_sourceLocation) {
    let (have, want) = (multiset(actual), multiset(expected))
    guard have != want else { return }
    let missing = want.filter { have[$0.key, default: 0] < $0.value }.map(\.key)
    let unexpected = have.filter { want[$0.key, default: 0] < $0.value }.map(\.key)
    Issue.record("""
        \(actual.count) rows, expected \(expected.count); \(missing.count) distinct rows missing or too few, \
        e.g. \(missing.prefix(3)); \(unexpected.count) unexpected or too many, e.g. \(unexpected.prefix(3))
        """, sourceLocation: sourceLocation)
}
