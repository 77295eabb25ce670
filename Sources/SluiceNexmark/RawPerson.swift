/// The random draws of one person event, before rendering to JSON or to a ``Person``.
struct RawPerson {
    var id: Int64
    var firstName: Int
    var lastName: Int
    var emailUser: TextSlice
    var emailDomain: TextSlice
    var creditCard0: Int
    var creditCard1: Int
    var creditCard2: Int
    var creditCard3: Int
    var city: Int
    var state: Int
    var dateTime: Int64
    var extra: TextSlice
}
