import FoundationEssentials

/// Types that Foundation's JSON coders treat specially instead of calling their `Codable`
/// conformance: `Data` (base64), `URL` (a string) and `Decimal` (a number).
enum FoundationSpecialTypes {
    static func contains(_ type: Any.Type) -> Bool {
        type == Data.self || type == URL.self || type == Decimal.self
    }
}
