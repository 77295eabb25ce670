/// Where and why a line is not valid JSON. Kept small and string-free so that throwing it is
/// cheap; `reason(in:count:)` writes the message once the line is known to be bad.
struct JSONSyntaxError: Error {
    enum Problem {
        /// Something else was expected here, e.g. `"',' or '}'"`.
        case expected(StaticString)
        case invalidUTF8
        case controlCharacter
        case invalidEscape
        case unpairedSurrogate
        case unterminatedString
        case tooDeeplyNested
        case trailingCharacters(afterObject: Bool)
    }

    /// Byte offset into the line, counting from 0.
    var offset: Int
    var problem: Problem

    init(_ offset: Int, _ problem: Problem) {
        self.offset = offset
        self.problem = problem
    }

    /// The message for a `RecordDecodingError`, e.g. `invalid JSON at byte 17: expected ',' or '}', found 'x'`.
    func reason(in base: UnsafePointer<UInt8>?, count: Int) -> String {
        switch problem {
        case .invalidUTF8:
            return "invalid UTF-8 at byte \(offset)"
        case .expected(let what):
            return "invalid JSON at byte \(offset): expected \(what), found \(found(in: base, count: count))"
        case .controlCharacter:
            return "invalid JSON at byte \(offset): unescaped control character \(found(in: base, count: count)) in string"
        case .invalidEscape:
            return "invalid JSON at byte \(offset): invalid escape sequence in string"
        case .unpairedSurrogate:
            return "invalid JSON at byte \(offset): \\u escape is an unpaired UTF-16 surrogate"
        case .unterminatedString:
            return "invalid JSON at byte \(offset): unterminated string"
        case .tooDeeplyNested:
            return "invalid JSON at byte \(offset): nested more than \(JSONScanner.maxDepth) levels deep"
        case .trailingCharacters(let afterObject):
            return "invalid JSON at byte \(offset): trailing characters after \(afterObject ? "object" : "value")"
        }
    }

    private func found(in base: UnsafePointer<UInt8>?, count: Int) -> String {
        guard let base, offset < count else { return "end of line" }
        let byte = base[offset]
        if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" : "")\(hex)"
    }
}
