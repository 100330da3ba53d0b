import Foundation

// A strict JSON reader for the catalog files.
//
// Why not JSONSerialization or JSONDecoder: the catalog's errors must name the line of the offending
// object inside catalog.json (e.g. the second of two contrasts with the same name), duplicate keys
// must be refused rather than silently resolved to the last one, and a number must never pass for a
// string. Neither Foundation reader reports positions or duplicate keys, so this one keeps both.

/// A parsed JSON value with the position where it starts.
struct CatalogJSONNode {
    indirect enum Value {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case array([CatalogJSONNode])
        /// Members in file order (keys are unique: the parser refuses duplicates).
        case object([(key: String, node: CatalogJSONNode)])
    }

    let value: Value
    /// 1-based line of the value's first character.
    let line: Int
    /// 1-based column (in bytes) of the value's first character.
    let column: Int

    /// The JSON type name, for "expected a string, found a number" messages.
    var typeName: String {
        switch value {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A syntax error at a 1-based line and column.
struct CatalogJSONSyntaxError: Error {
    let line: Int
    let column: Int
    let reason: String
}

/// Parses one complete JSON document from UTF-8 bytes.
///
/// `firstLine` is the line number of `bytes[0]` in its file, so a JSONL line reports its own line.
/// Trailing whitespace is allowed; anything else after the value is an error.
struct CatalogJSONParser {
    /// Deeper nesting is refused instead of risking the stack (catalog files nest two levels).
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var line: Int
    private var lineStart = 0

    private init(bytes: [UInt8], firstLine: Int) {
        self.bytes = bytes
        self.line = firstLine
    }

    static func parse(_ bytes: [UInt8], firstLine: Int = 1) throws(CatalogJSONSyntaxError) -> CatalogJSONNode {
        var parser = CatalogJSONParser(bytes: bytes, firstLine: firstLine)
        parser.skipWhitespace()
        let node = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the JSON value")
        }
        return node
    }

    // MARK: - Grammar

    private mutating func parseValue(depth: Int) throws(CatalogJSONSyntaxError) -> CatalogJSONNode {
        guard depth < Self.maximumDepth else { throw error("nesting deeper than \(Self.maximumDepth) levels") }
        guard index < bytes.count else { throw error("unexpected end of input, expected a value") }
        let (startLine, startColumn) = (line, index - lineStart + 1)
        let value: CatalogJSONNode.Value
        switch bytes[index] {
        case UInt8(ascii: "{"): value = try parseObject(depth: depth)
        case UInt8(ascii: "["): value = try parseArray(depth: depth)
        case UInt8(ascii: "\""): value = .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); value = .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); value = .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); value = .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): value = .number(try parseNumber())
        default: throw error("unexpected \(describeCurrent()), expected a value")
        }
        return CatalogJSONNode(value: value, line: startLine, column: startColumn)
    }

    private mutating func parseObject(depth: Int) throws(CatalogJSONSyntaxError) -> CatalogJSONNode.Value {
        index += 1  // {
        var members: [(key: String, node: CatalogJSONNode)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("unexpected \(describeCurrent()), expected a key string") }
            let keyLine = line
            let keyColumn = index - lineStart + 1
            let key = try parseString()
            guard seen.insert(key).inserted else {
                throw CatalogJSONSyntaxError(line: keyLine, column: keyColumn, reason: "duplicate key \"\(key)\"")
            }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("unexpected \(describeCurrent()), expected ':'") }
            index += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("unexpected \(describeCurrent()), expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(CatalogJSONSyntaxError) -> CatalogJSONNode.Value {
        index += 1  // [
        var elements: [CatalogJSONNode] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("unexpected \(describeCurrent()), expected ',' or ']'")
            }
        }
    }

    /// Reads a string starting at its opening quote; decodes escapes and validates UTF-8.
    private mutating func parseString() throws(CatalogJSONSyntaxError) -> String {
        index += 1  // "
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw error("string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw error("unterminated escape") }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0c)
                case UInt8(ascii: "n"): utf8.append(0x0a)
                case UInt8(ascii: "r"): utf8.append(0x0d)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
                default:
                    index -= 1
                    throw error("invalid escape '\\\(String(decoding: [escape], as: UTF8.self))'")
                }
            case 0x00 ..< 0x20:
                throw error("control character U+\(String(byte, radix: 16, uppercase: true)) inside a string (escape it)")
            default:
                utf8.append(byte)
                index += 1
            }
        }
    }

    /// Reads the hex digits after `\u` (and a following low surrogate escape when needed); returns UTF-8.
    private mutating func parseUnicodeEscape() throws(CatalogJSONSyntaxError) -> [UInt8] {
        let high = try readHex4()
        var scalarValue = UInt32(high)
        if (0xD800 ... 0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired high surrogate \\u\(String(high, radix: 16))")
            }
            index += 2
            let low = try readHex4()
            guard (0xDC00 ... 0xDFFF).contains(low) else { throw error("invalid low surrogate \\u\(String(low, radix: 16))") }
            scalarValue = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        } else if (0xDC00 ... 0xDFFF).contains(high) {
            throw error("unpaired low surrogate \\u\(String(high, radix: 16))")
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("invalid code point in \\u escape") }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func readHex4() throws(CatalogJSONSyntaxError) -> UInt16 {
        guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt16 = 0
        for _ in 0 ..< 4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Reads a number with JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func parseNumber() throws(CatalogJSONSyntaxError) -> Double {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(peek()) {
            while isDigit(peek()) { index += 1 }
        } else {
            throw error("invalid number")
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard isDigit(peek()) else { throw error("invalid number: digits expected after '.'") }
            while isDigit(peek()) { index += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard isDigit(peek()) else { throw error("invalid number: digits expected in the exponent") }
            while isDigit(peek()) { index += 1 }
        }
        let text = String(decoding: bytes[start ..< index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("number \(text) is out of range") }
        return value
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(CatalogJSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        guard index + expected.count <= bytes.count, bytes[index ..< index + expected.count].elementsEqual(expected) else {
            throw error("unexpected \(describeCurrent()), expected a value")
        }
        index += expected.count
    }

    // MARK: - Helpers

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            default:
                return
            }
        }
    }

    private func describeCurrent() -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7f { return "'\(String(decoding: [byte], as: UTF8.self))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    private func error(_ reason: String) -> CatalogJSONSyntaxError {
        CatalogJSONSyntaxError(line: line, column: index - lineStart + 1, reason: reason)
    }
}
