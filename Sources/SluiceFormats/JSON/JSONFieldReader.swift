/// Reads the members of a scanned line: finds them by key and converts their values.
///
/// It lives behind a pointer owned by `JSONFieldDecoder`, and the containers call it through that
/// pointer, so the per-field path costs no reference counting and no dynamic exclusivity checks.
struct JSONFieldReader {
    var table = JSONFieldTable()
    /// The line being decoded; never read while the table is empty.
    var base = UnsafePointer<UInt8>(bitPattern: 1)!
    /// The member a lookup tries first: the one after the last found.
    var cursor = 0
    /// The member whose value a single-value container reads, or -1 for the top-level object.
    var current = -1
    /// Set when the line must be decoded by Foundation instead.
    var fallbackRequested = false
    /// Scratch space for unescaping strings.
    var scratch: [UInt8] = []

    /// Starts reading a newly scanned line.
    mutating func start(_ line: UnsafePointer<UInt8>) {
        base = line
        cursor = 0
        current = -1
        fallbackRequested = false
    }

    /// Marks the line for Foundation and returns the error to throw.
    mutating func requestFallback() -> FallbackSignal {
        fallbackRequested = true
        return FallbackSignal()
    }

    // MARK: Lookup

    /// The member named `name`, chosen as Foundation chooses (the first of equal keys, keys equal
    /// as `String`s), or nil when absent.
    ///
    /// Fields usually come in declaration order, so the member after the last one found is tried
    /// first; then all members, comparing lengths before bytes. Keys with escapes or non-ASCII
    /// bytes, rare in practice, are compared as decoded `String`s.
    @inline(__always)
    mutating func index(of name: String) -> Int? {
        if !table.hasComplexKeys,
           let found = name.utf8.withContiguousStorageIfAvailable({ fastIndex(of: $0) }) {
            if found >= 0 { return found }
            // An ASCII key cannot equal a non-ASCII name bytewise, but can as a String ("K" and
            // the Kelvin sign), which is how Foundation compares.
            if name.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        }
        return slowIndex(of: name)
    }

    /// The member whose key is the bytes `key`, or -1. Exact only when the table has no complex
    /// keys and `key` is ASCII.
    @inline(__always)
    mutating func fastIndex(of key: UnsafeBufferPointer<UInt8>) -> Int {
        let fields = table.fields
        let count = table.count
        let guess = cursor
        if guess < count && !table.mayHaveDuplicateKeys && keyEquals(fields[guess], key) {
            cursor = guess &+ 1
            return guess
        }
        var j = 0
        while j < count {
            if keyEquals(fields[j], key) {
                cursor = j &+ 1
                return j
            }
            j &+= 1
        }
        return -1
    }

    @inline(__always)
    private mutating func keyEquals(_ field: JSONField, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = key.count
        guard field.keyCount == n else { return false }
        let bytes = base + field.keyStart
        var k = 0
        while k < n {
            if bytes[k] != key[k] { return false }
            k &+= 1
        }
        return true
    }

    private mutating func slowIndex(of name: String) -> Int? {
        for j in 0..<table.count where keyString(at: j) == name {
            cursor = j &+ 1
            return j
        }
        return nil
    }

    /// The names of all members, without repeats, in line order.
    mutating func allKeyNames() -> [String] {
        var seen = Set<String>()
        var names: [String] = []
        for j in 0..<table.count {
            let name = keyString(at: j)
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    /// The decoded key of member `j`.
    mutating func keyString(at j: Int) -> String {
        let field = table[j]
        let key = UnsafeBufferPointer(start: base + field.keyStart, count: field.keyCount)
        if key.contains(UInt8(ascii: "\\")) {
            return unescapedString(from: field.keyStart, to: field.keyEnd)
        }
        return String(decoding: key, as: UTF8.self)
    }

    /// The coding path of member `j`'s value (-1: the top-level object).
    mutating func codingPath(for j: Int) -> [any CodingKey] {
        j < 0 ? [] : [FieldKey(stringValue: keyString(at: j))]
    }
}
