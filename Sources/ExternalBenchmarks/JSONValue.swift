import Foundation

/// A JSON value as written: object members in file order and numbers as their literal text.
///
/// Why not JSONSerialization or JSONDecoder: BFCL's answers are rendered back into call text, and
/// that text must not depend on a dictionary's hash order or turn `7890` into `7890.0`. Duplicate
/// keys are refused rather than resolved to the last one.
package indirect enum JSONValue: Sendable, Equatable {
    case string(String)
    /// The number's literal, exactly as in the file (JSON's grammar checked).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([Member])

    package struct Member: Sendable, Equatable {
        package let key: String
        package let value: JSONValue

        package init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The JSON type name, for "expected a string, found a number" messages.
    package var typeName: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The member `key` of an object (nil for a missing key or a value that is not an object).
    package subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// A syntax error at a 1-based line and column.
struct JSONSyntaxError: Error {
    let line: Int
    let column: Int
    let reason: String
}

/// Parses one complete JSON document (RFC 8259) from UTF-8 bytes; trailing whitespace is allowed.
/// `firstLine` is the line number of the first byte in its file, so a JSONL line reports its own line.
struct JSONParser {
    /// Deeper nesting is refused instead of risking the stack (the benchmark files nest six levels).
    static let maximumDepth = 128

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private var line: Int
    private var lineStart: Int

    static func parse(_ bytes: ArraySlice<UInt8>, firstLine: Int = 1) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, index: bytes.startIndex, line: firstLine, lineStart: bytes.startIndex)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == bytes.endIndex else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(line: line, column: index - lineStart + 1, reason: reason)
    }

    private var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\n"):
                index += 1
                line += 1
                lineStart = index
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            default:
                return
            }
        }
    }

    private mutating func expect(_ literal: String) throws(JSONSyntaxError) {
        for byte in literal.utf8 {
            guard current == byte else { throw error("expected \"\(literal)\"") }
            index += 1
        }
    }

    private mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < Self.maximumDepth else { throw error("nested deeper than \(Self.maximumDepth) levels") }
        guard let byte = current else { throw error("unexpected end of input, expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0") ... UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character \"\(Unicode.Scalar(byte))\"")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1  // {
        var members: [JSONValue.Member] = []
        var keys: Set<String> = []
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a key in double quotes") }
            let key = try parseString()
            guard keys.insert(key).inserted else { throw error("duplicate key \"\(key)\"") }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw error("expected \":\" after a key") }
            index += 1
            skipWhitespace()
            members.append(JSONValue.Member(key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return .object(members)
            default: throw error("expected \",\" or \"}\" in an object")
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        index += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return .array(elements)
            default: throw error("expected \",\" or \"]\" in an array")
            }
        }
    }

    private mutating func parseString() throws(JSONSyntaxError) -> String {
        index += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var run = index  // start of the bytes not yet copied
        func flush(_ parser: JSONParser, to end: Int) {
            scalars.append(contentsOf: String(decoding: parser.bytes[run ..< end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = current else { throw error("a string is never closed") }
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, to: index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, to: index)
                index += 1
                guard let escaped = current else { throw error("a string is never closed") }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"): scalars.append(try parseUnicodeEscape())
                default: throw error("invalid escape \"\\\(Unicode.Scalar(escaped))\"")
                }
                run = index
            case 0x00 ..< 0x20:
                throw error("an unescaped control character in a string")
            default:
                index += 1
            }
        }
    }

    /// After `\u`: four hex digits, and for a high surrogate the `\uDC00…` that must follow it.
    private mutating func parseUnicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let high = try parseHex4()
        if (0xD800 ..< 0xDC00).contains(high) {
            guard current == UInt8(ascii: "\\") else { throw error("a high surrogate without its low surrogate") }
            index += 1
            guard current == UInt8(ascii: "u") else { throw error("a high surrogate without its low surrogate") }
            index += 1
            let low = try parseHex4()
            guard (0xDC00 ..< 0xE000).contains(low) else { throw error("a high surrogate without its low surrogate") }
            // Always a valid scalar: 0x10000 + 20 bits.
            guard let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                throw error("an invalid surrogate pair")
            }
            return scalar
        }
        guard let scalar = Unicode.Scalar(high) else { throw error("a lone low surrogate") }
        return scalar
    }

    private mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0 ..< 4 {
            guard let byte = current else { throw error("expected four hex digits after \\u") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("expected four hex digits after \\u")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, returned as written.
    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while let byte = parser.current, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(byte) {
                parser.index += 1
                count += 1
            }
            return count
        }
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits(&self) == 0 {
            throw error("a number without digits")
        }
        if current == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw error("no digits after a decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw error("no digits in an exponent") }
        }
        return String(decoding: bytes[start ..< index], as: UTF8.self)
    }
}

/// The records of a JSON Lines file: one JSON object per non-blank line.
struct JSONLines {
    let path: String
    let records: [(line: Int, value: JSONValue)]

    init(_ url: URL) throws {
        let file = try SourceFile(url)
        path = file.path
        var records: [(line: Int, value: JSONValue)] = []
        for (number, bytes) in file.nonBlankLines() {
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes, firstLine: number)
            } catch {
                throw ExternalBenchmarksError.malformedJSON(file: file.path, line: error.line, column: error.column, reason: error.reason)
            }
            guard case .object = value else {
                throw ExternalBenchmarksError.wrongType(file: file.path, line: number, key: "(line)", expected: "an object", found: value.typeName)
            }
            records.append((number, value))
        }
        self.records = records
    }

    /// The string `key` of the record on `line`.
    func string(_ key: String, of record: JSONValue, line: Int) throws -> String {
        guard let value = record[key] else { throw ExternalBenchmarksError.missingKey(file: path, line: line, key: key) }
        guard case let .string(string) = value else {
            throw ExternalBenchmarksError.wrongType(file: path, line: line, key: key, expected: "a string", found: value.typeName)
        }
        return string
    }

    /// The member `key` of the record on `line`, of any type.
    func value(_ key: String, of record: JSONValue, line: Int) throws -> JSONValue {
        guard let value = record[key] else { throw ExternalBenchmarksError.missingKey(file: path, line: line, key: key) }
        return value
    }
}
