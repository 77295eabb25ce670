/// Constants and id formulas of the Nexmark event model (`nexmark.md`, `nexmark_gen.py`).
enum NexmarkModel {
    static let firstPersonId: Int64 = 1000
    static let firstAuctionId: Int64 = 1000
    static let firstCategoryId: Int64 = 10
    static let numCategories = 5
    /// Events per epoch: 1 person, 3 auctions, 46 bids.
    static let totalProportion: Int64 = 50
    static let auctionProportion: Int64 = 3
    /// Hot sellers, bidders and auctions are the first id of the last block of 100.
    static let hotGranule: Int64 = 100
    static let auctionIdLead = 10
    static let personIdLead = 10
    static let hotChannelsRatio = 2
    static let channelsNumber = 10_000
    /// Bytes of a bid's payload not counting `extra`, as assumed by `nexmark_gen.py`.
    static let bidFixedBytes = 32

    static let hotChannels: [StaticString] = ["Google", "Facebook", "Baidu", "Apple"]
    static let usStates: [StaticString] = ["AZ", "CA", "ID", "OR", "WA", "WY"]
    static let usCities: [StaticString] = [
        "Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend", "Redmond",
        "Seattle", "Kent", "Cheyenne",
    ]
    static let firstNames: [StaticString] = [
        "Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter", "Walter",
    ]
    static let lastNames: [StaticString] = [
        "Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris",
    ]

    /// Base-0 id of the last person created at or before event `n`.
    @inline(__always)
    static func lastBase0PersonId(_ n: Int64) -> Int64 { n / totalProportion }

    /// Base-0 id of the last auction created at or before event `n` (`-1` before the first).
    @inline(__always)
    static func lastBase0AuctionId(_ n: Int64) -> Int64 {
        let epoch = n / totalProportion
        let offset = n % totalProportion
        if offset < 1 { return (epoch - 1) * auctionProportion + auctionProportion - 1 }
        if offset >= 4 { return epoch * auctionProportion + auctionProportion - 1 }
        return epoch * auctionProportion + offset - 1
    }

    /// `java.lang.Integer.reverse(k)` made non-negative (as Python's `abs` does, without overflow).
    static func reversedChannelId(_ k: Int) -> Int64 {
        var v = UInt32(truncatingIfNeeded: k)
        var r: UInt32 = 0
        for _ in 0..<32 {
            r = (r &<< 1) | (v & 1)
            v &>>= 1
        }
        return Int64(Int64(Int32(bitPattern: r)).magnitude)
    }

    /// The largest `extra` length that `nextExtra` can produce for an average of `avg` bytes.
    static func maxExtraLength(average avg: Int) -> Int {
        let a = max(avg, 0)
        return a + Int(Double(a) * 0.2 + 0.5) + 1
    }
}
