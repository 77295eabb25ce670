/// The random draws of one auction event, before rendering to JSON or to an ``Auction``.
struct RawAuction {
    var id: Int64
    var itemName: TextSlice
    var description: TextSlice
    var initialBid: Int64
    var reserve: Int64
    var dateTime: Int64
    var expires: Int64
    var seller: Int64
    var category: Int64
    var extra: TextSlice
}
