/// The random draws of one bid event, before rendering to JSON or to a ``Bid``.
struct RawBid {
    var auction: Int64
    var bidder: Int64
    var price: Int64
    /// Index into the text pool's channels: `0..<4` hot channels, then `channel-0` … `channel-9999`.
    var channel: Int
    var dateTime: Int64
    var extra: TextSlice
}
