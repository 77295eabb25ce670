/// Turns errors thrown while decoding or encoding a record into the short, specific reasons that
/// `RecordDecodingError` and `RecordEncodingError` carry.
import SluiceCore

enum CodingErrorText {
    /// `price`, `items[2].name`: a coding path as users write it.
    static func path(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue == String(index) || key.stringValue.hasPrefix("Index ") {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }

    /// What a decoder expected, by type: "an integer", "a string", ...
    static func expected(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
             is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is [String: Any].Type: return "an object"
        case is [Any].Type: return "an array"
        default:
            if #available(macOS 15.0, *), type is Int128.Type || type is UInt128.Type { return "an integer" }
            return "a value of type \(type)"
        }
    }

    /// The reason for an error thrown by `init(from:)`, prefixed with the field it concerns.
    /// `noun` is "field" for JSON and "column" for CSV.
    static func decodingReason(_ error: any Error, noun: String) -> String {
        switch error {
        case let error as RecordDecodingError:
            return error.reason
        case let error as DecodingError:
            return decodingReason(error, noun: noun)
        default:
            return String(describing: error)
        }
    }

    private static func decodingReason(_ error: DecodingError, noun: String) -> String {
        func prefixed(_ path: [any CodingKey], _ text: String) -> String {
            path.isEmpty ? text : "\(noun) \"\(self.path(path))\": \(text)"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(noun) \"\(path(context.codingPath + [key]))\""
        case .valueNotFound(let type, let context):
            let ours = context.debugDescription.hasPrefix("expected ")
            return prefixed(context.codingPath, ours ? context.debugDescription : "expected \(expected(type)), found null")
        case .typeMismatch(let type, let context):
            return prefixed(context.codingPath, mismatchText(type, context.debugDescription))
        case .dataCorrupted(let context) where context.codingPath.isEmpty && context.underlyingError == nil
            && context.debugDescription == "The given data was not valid JSON.":
            // What Foundation says of a number that does not fit its type (the syntax was checked
            // before Foundation saw the line).
            return "a number does not fit the type of its field"
        case .dataCorrupted(let context):
            var text = lowercasedFirst(context.debugDescription)
            if let underlying = context.underlyingError {
                text = String(describing: underlying)
            }
            return prefixed(context.codingPath, text)
        @unknown default:
            return String(describing: error)
        }
    }

    /// The reason for an error thrown by `encode(to:)`.
    static func encodingReason(_ error: any Error, noun: String) -> String {
        switch error {
        case let error as RecordEncodingError:
            return error.reason
        case EncodingError.invalidValue(_, let context):
            let text = lowercasedFirst(context.debugDescription)
            return context.codingPath.isEmpty ? text : "\(noun) \"\(path(context.codingPath))\": \(text)"
        default:
            return String(describing: error)
        }
    }

    /// Rewrites Foundation's "Expected to decode Int64 but found a string instead." in our
    /// words ("expected an integer, found string"); leaves other text as it is.
    private static func mismatchText(_ type: Any.Type, _ text: String) -> String {
        let prefix = "Expected to decode ", middle = " but found ", suffix = " instead."
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), let range = text.firstRange(of: middle) else {
            return lowercasedFirst(text)
        }
        var found = text[range.upperBound..<text.index(text.endIndex, offsetBy: -suffix.count)]
        for article in ["a ", "an "] where found.hasPrefix(article) {
            found = found.dropFirst(article.count)
        }
        return "expected \(expected(type)), found \(found)"
    }

    private static func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase,
              text.dropFirst().first.map({ !$0.isUppercase }) ?? true
        else { return text }
        return first.lowercased() + text.dropFirst()
    }
}
