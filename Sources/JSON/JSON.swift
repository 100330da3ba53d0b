/// The one strict JSON reader of this package (safetensors headers and index files, catalogs, the
/// external benchmarks' files), and the string escaping of the safetensors header writer.
///
/// Why not `JSONSerialization` or `JSONDecoder`: they silently keep one of two duplicate keys, turn
/// integers into `Double`s (losing offsets above 2^53, accepting `1.0` as 1, rendering `7890` back as
/// `7890.0`), reorder object members, and do not say where they failed. This parser keeps numbers as
/// their source text and members in source order, rejects duplicate keys, limits nesting depth, and
/// records where every value starts, so that callers can name the byte, or the line and column, of
/// what they refuse.

/// A parsed value and the byte offset (from the start of the parsed text) where it starts.
package struct JSONNode: Sendable, Equatable {
    package let value: JSONValue
    package let offset: Int

    package init(_ value: JSONValue, offset: Int) {
        self.value = value
        self.offset = offset
    }
}

package indirect enum JSONValue: Sendable, Equatable {
    /// Members in source order (keys are unique: the parser refuses duplicates).
    case object([JSONMember])
    case array([JSONNode])
    case string(String)
    /// The number's text, as written (`-12`, `1.0`, `3e5`): callers decide what they accept.
    case number(String)
    case bool(Bool)
    case null

    /// What a message calls this value's type: "a string", "an object", …
    package var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// The member `key` of an object (nil for a missing key or a value that is not an object).
    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// Through `Codable` (e.g. an open-ended member of a `config.json` read with `JSONDecoder`): numbers
/// come as `Double`s and are kept as their shortest text, object members sorted by key; positions are
/// unknown (offset 0).
extension JSONValue: Codable, CustomStringConvertible {
    package init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Each kind in turn; a failed attempt only means "not this kind", and the last (an object)
        // reports the error when the value is none of them.
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number("\(value)") }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value.map { JSONNode($0, offset: 0) }) }
        else {
            let object = try container.decode([String: JSONValue].self)
            self = .object(object.keys.sorted().map { JSONMember($0, JSONNode(object[$0]!, offset: 0)) })
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .number(text): try container.encode(Double(text) ?? .nan)
        case let .string(value): try container.encode(value)
        case let .array(elements): try container.encode(elements.map(\.value))
        case let .object(members):
            try container.encode(Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
        }
    }

    /// Compact JSON text, members in their order (for messages).
    package var description: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return "\(value)"
        case let .number(text): return text
        case let .string(value):
            var bytes: [UInt8] = []
            appendJSONString(value, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        case let .array(elements): return "[\(elements.map(\.value.description).joined(separator: ", "))]"
        case let .object(members): return "{\(members.map { "\(JSONValue.string($0.key)): \($0.value)" }.joined(separator: ", "))}"
        }
    }

    /// A number's value (nil for another kind).
    package var number: Double? {
        guard case let .number(text) = self else { return nil }
        return Double(text)
    }
}

package struct JSONMember: Sendable, Equatable {
    package let key: String
    package let node: JSONNode

    package init(_ key: String, _ node: JSONNode) {
        self.key = key
        self.node = node
    }

    package var value: JSONValue { node.value }
}

package struct JSONParseError: Error, Equatable {
    package enum Kind: Equatable {
        case syntax(String)
        case duplicateKey(String)
    }

    /// Byte offset from the start of the text.
    package let offset: Int
    package let kind: Kind

    /// What went wrong, in words.
    package var reason: String {
        switch kind {
        case let .syntax(message): message
        case let .duplicateKey(key): "duplicate key \"\(key)\""
        }
    }
}

/// What may follow the top-level value.
package enum JSONTrailing: Sendable {
    /// Only spaces (0x20): the safetensors header's padding.
    case spaces
    /// JSON whitespace (space, tab, newline, carriage return): ordinary JSON files.
    case whitespace
}

/// Byte offsets of a text as 1-based lines and columns (in bytes), the text's first line being
/// `firstLine` (a JSON Lines record reports the line of its file).
package struct JSONLineIndex: Sendable {
    private let starts: [Int]  // where each line starts
    private let firstLine: Int

    package init(_ text: some Collection<UInt8>, firstLine: Int = 1) {
        var starts = [0]
        for (offset, byte) in text.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        self.starts = starts
        self.firstLine = firstLine
    }

    package func position(of offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = starts.count - 1  // the last line start ≤ offset
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (firstLine + low, offset - starts[low] + 1)
    }
}

package struct JSONParser {
    /// Deep enough for every file read here (safetensors headers nest 3 levels, the benchmark files 6),
    /// shallow enough that hostile input cannot exhaust the stack of the recursive descent.
    package static let maximumDepth = 64

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    /// Parses `bytes` as exactly one JSON value followed only by what `trailing` allows.
    package static func parse(_ bytes: some Collection<UInt8>, trailing: JSONTrailing = .whitespace) throws(JSONParseError) -> JSONNode {
        let contiguous = Array(bytes)
        let result = contiguous.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw, trailing: trailing) } }
        return try result.get()
    }

    /// Parses `bytes` as exactly one JSON value followed only by what `trailing` allows.
    package static func parse(_ bytes: UnsafeRawBufferPointer, trailing: JSONTrailing = .whitespace) throws(JSONParseError) -> JSONNode {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        while parser.index < bytes.count {
            let byte = bytes[parser.index]
            let allowed = trailing == .spaces ? byte == 0x20 : isWhitespace(byte)
            guard allowed else {
                throw JSONParseError(offset: parser.index, kind: .syntax(
                    trailing == .spaces ? "only space padding may follow the header's closing `}`" : "unexpected text after the JSON value"))
            }
            parser.index += 1
        }
        return value
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) { index += 1 }
    }

    private func fail(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? index, kind: .syntax(message))
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw fail("unexpected end of JSON") }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONParseError) {
        guard try peek() == byte else { throw fail("expected \(what)") }
        index += 1
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONNode {
        let offset = index
        let value: JSONValue
        switch try peek() {
        case UInt8(ascii: "{"): value = try parseObject()
        case UInt8(ascii: "["): value = try parseArray()
        case UInt8(ascii: "\""): value = .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = .number(try parseNumber())
        case UInt8(ascii: "t"): try parseLiteral("true"); value = .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); value = .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); value = .null
        default: throw fail("expected a JSON value")
        }
        return JSONNode(value, offset: offset)
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else { throw fail("nesting deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1  // {
        var members: [JSONMember] = []
        var seen = Set<String>()
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            let keyOffset = index
            guard try peek() == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try parseString()
            guard seen.insert(key).inserted else { throw JSONParseError(offset: keyOffset, kind: .duplicateKey(key)) }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "`:` after an object key")
            skipWhitespace()
            members.append(JSONMember(key, try parseValue()))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw fail("expected `,` or `}` in an object")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1  // [
        var elements: [JSONNode] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw fail("expected `,` or `]` in an array")
            }
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = index
        for expected in UnsafeRawBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard index < bytes.count, bytes[index] == expected else { throw fail("invalid literal", at: start) }
            index += 1
        }
    }

    /// RFC 8259's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            let first = parser.index
            while parser.index < parser.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(parser.bytes[parser.index]) {
                parser.index += 1
            }
            return parser.index - first
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw fail("expected a digit")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            _ = digits(&self)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw fail("expected a digit after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw fail("expected a digit in the exponent") }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peek()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("expected 4 hexadecimal digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// A string's content: escapes resolved, raw bytes validated as UTF-8.
    private mutating func parseString() throws(JSONParseError) -> String {
        let start = index
        index += 1  // "
        var utf8: [UInt8] = []
        while true {
            let byte = try peek()
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try Self.decodeUTF8(utf8, offset: start)
            case UInt8(ascii: "\\"):
                index += 1
                let escape = try peek()
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    let escapeStart = index - 2
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        // A UTF-16 high surrogate must be followed by an escaped low surrogate.
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                            throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                        }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                        }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(code) {
                        throw fail("unpaired UTF-16 surrogate in \\u escape", at: escapeStart)
                    }
                    // Every value left is a Unicode scalar: surrogates were handled above.
                    guard let scalar = Unicode.Scalar(code) else { throw fail("invalid \\u escape", at: escapeStart) }
                    UTF8.encode(scalar) { utf8.append($0) }
                default:
                    throw fail("invalid escape sequence", at: index - 2)
                }
            case 0..<0x20:
                throw fail("control character in a string (it must be escaped)")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    private static func decodeUTF8(_ utf8: [UInt8], offset: Int) throws(JSONParseError) -> String {
        // Validate strictly (no overlong forms, no surrogates) rather than repair with U+FFFD.
        var scalars = String.UnicodeScalarView()
        var iterator = utf8.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: throw JSONParseError(offset: offset, kind: .syntax("string is not valid UTF-8"))
            }
        }
    }
}

/// The result of reading a JSON number as a size or an offset.
package enum JSONInteger {
    case value(Int)
    case notAnInteger
    case negative
    case tooLarge

    /// Only the plain integer form is an integer: `1.0` and `1e0` are not (as in serde's `usize`).
    package init(_ text: String) {
        let utf8 = Array(text.utf8)
        if utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            self = .notAnInteger
        } else if utf8.first == UInt8(ascii: "-") {
            // `-0` is an integer, but a size or offset written with a sign is not well-formed.
            self = .negative
        } else {
            var value = 0
            for digit in utf8 {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                if overflow1 || overflow2 {
                    self = .tooLarge
                    return
                }
                value = sum
            }
            self = .value(value)
        }
    }
}

/// Appends `string` as a JSON string literal, escaped exactly as serde_json does (what the Python
/// `safetensors` writer uses): `"` and `\` backslashed, the control characters with a short form as
/// `\b \f \n \r \t`, the others below 0x20 as `\u00xx` (lowercase hex); everything else, DEL and
/// non-ASCII included, as raw UTF-8.
package func appendJSONString(_ string: String, to output: inout [UInt8]) {
    let hex = Array("0123456789abcdef".utf8)
    output.append(UInt8(ascii: "\""))
    for byte in string.utf8 {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            output.append(contentsOf: Array("\\u00".utf8))
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0xF)])
        default:
            output.append(byte)
        }
    }
    output.append(UInt8(ascii: "\""))
}
