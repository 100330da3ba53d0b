import Foundation
import JSON
import Testing

/// The package's one JSON reader (safetensors headers, catalogs, the benchmarks' files, tokenizer.json)
/// and the safetensors header's string escaper, on their edge cases.
struct JSONTests {
    static func parse(_ text: String, trailing: JSONTrailing = .whitespace) -> Result<JSONValue, JSONParseError> {
        Array(text.utf8).withUnsafeBytes { bytes in
            Result { () throws(JSONParseError) in try JSONParser.parse(bytes, trailing: trailing).value }
        }
    }

    static func string(_ text: String) -> String? {
        if case .success(.string(let value)) = parse(text) { value } else { nil }
    }

    static func rejects(_ text: String, trailing: JSONTrailing = .whitespace) -> Bool {
        if case .failure = parse(text, trailing: trailing) { true } else { false }
    }

    /// Escaping then parsing gives the string back, for every control character, the characters
    /// JSON escapes, and non-ASCII text (accents, CJK, emoji outside the BMP, a combining mark).
    @Test func escapedStringsRoundTrip() {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        for original in [controls, "\"\\/\u{7F}", "caf\u{E9} \u{6F22}\u{5B57} \u{1F600} e\u{301}", ""] {
            var literal: [UInt8] = []
            appendJSONString(original, to: &literal)
            #expect(Self.string(String(decoding: literal, as: UTF8.self)) == original)
        }
    }

    @Test func escapesAsSerdeJSONDoes() {
        var literal: [UInt8] = []
        appendJSONString("a\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}\"\\/\u{E9}", to: &literal)
        #expect(String(decoding: literal, as: UTF8.self) == "\"a\\u0001\\b\\t\\n\\f\\r\\u001f\u{7F}\\\"\\\\/\u{E9}\"")
    }

    @Test func unicodeEscapes() {
        #expect(Self.string(#""\u00e9\u6F22\ud83d\ude00""#) == "\u{E9}\u{6F22}\u{1F600}")
        #expect(Self.rejects(#""\ud83d""#))  // lone high surrogate
        #expect(Self.rejects(#""\ude00""#))  // lone low surrogate
        #expect(Self.rejects(#""\ud83d\u0041""#))  // high surrogate + non-surrogate
        #expect(Self.rejects(#""\u12""#))
        #expect(Self.rejects(#""\x41""#))
        #expect(Self.rejects("\"tab\tinside\""))  // raw control characters must be escaped
    }

    @Test func numbersKeepTheirTextAndFollowTheGrammar() {
        guard case .success(.array(let numbers)) = Self.parse("[0, -0, 12, 1.5, 2e10, 3E-2, 18446744073709551616]") else {
            Issue.record("valid numbers rejected")
            return
        }
        #expect(numbers.map { if case .number(let text) = $0.value { text } else { "?" } } == ["0", "-0", "12", "1.5", "2e10", "3E-2", "18446744073709551616"])
        for invalid in ["01", "1.", ".5", "+1", "1e", "-", "0x10", "NaN", "Infinity"] {
            #expect(Self.rejects("[\(invalid)]"), "\(invalid)")
        }
    }

    @Test func integersForSizesAndOffsets() {
        func value(_ text: String) -> Int? { if case .value(let v) = JSONInteger(text) { v } else { nil } }
        #expect(value("0") == 0)
        #expect(value("9223372036854775807") == Int.max)
        if case .tooLarge = JSONInteger("9223372036854775808") {} else { Issue.record("Int.max + 1 accepted") }
        if case .notAnInteger = JSONInteger("1.0") {} else { Issue.record("1.0 accepted") }
        if case .notAnInteger = JSONInteger("1e0") {} else { Issue.record("1e0 accepted") }
        if case .negative = JSONInteger("-1") {} else { Issue.record("-1 accepted") }
    }

    @Test func structure() {
        #expect(Self.rejects(#"{"a":1,}"#))
        #expect(Self.rejects("[1,]"))
        #expect(Self.rejects(#"{"a" 1}"#))
        #expect(Self.rejects(#"{1:1}"#))
        #expect(Self.rejects("tru"))
        guard case .failure(let duplicate) = Self.parse(#"{"k":1,"k":2}"#), case .duplicateKey("k") = duplicate.kind else {
            Issue.record("duplicate key accepted")
            return
        }
        #expect(duplicate.offset == 7)
        // Nesting: 64 levels parse, 65 are refused (without exhausting the stack).
        #expect(!Self.rejects(String(repeating: "[", count: 64) + String(repeating: "]", count: 64)))
        #expect(Self.rejects(String(repeating: "[", count: 65) + String(repeating: "]", count: 65)))
        // Trailing text: the header allows only spaces, an ordinary JSON file any whitespace.
        #expect(!Self.rejects("{}   ", trailing: .spaces))
        #expect(Self.rejects("{}\n", trailing: .spaces))
        #expect(!Self.rejects("{}\n\t ", trailing: .whitespace))
        #expect(Self.rejects("{} x", trailing: .whitespace))
    }

    /// What BFCL's rendering needs: member order and number literals as written; and where each value
    /// starts, for the catalog's line numbers.
    @Test func keepsMemberOrderNumberLiteralsAndOffsets() throws {
        let node = try JSONParser.parse(Array(#"{"zeta": 1, "alpha": [2.50, -0, 1e3, 7890], "mid": {"b": true, "a": null}}"#.utf8))
        #expect(node.value.description == #"{"zeta": 1, "alpha": [2.50, -0, 1e3, 7890], "mid": {"b": true, "a": null}}"#)
        #expect(node.value["alpha"]?.description == "[2.50, -0, 1e3, 7890]")
        #expect(node.value["absent"] == nil)
        guard case let .object(members) = node.value, case let .array(elements) = members[1].value else {
            Issue.record("not an object with an array")
            return
        }
        #expect(members.map(\.node.offset) == [9, 21, 51])
        #expect(elements.map(\.offset) == [22, 28, 32, 37])
    }

    @Test func decodesEscapes() {
        #expect(Self.string(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == "a\"b\\c/d\n\té😀")
        #expect(Self.string(#""日本語 and raw UTF-8""#) == "日本語 and raw UTF-8")
        #expect(Self.string(#""\\u4e0a""#) == "\\u4e0a")  // an escaped backslash, not an escape
    }

    @Test func refusesWhatRFC8259Refuses() {
        for text in [#"{"a": 1, "a": 2}"#, #"{"a": 1,}"#, "[1 2]", "01", "1.", "-", "1e", "tru", #""open"#, "\"tab\there\"",
                     #""\x""#, "{} {}", ""] {
            #expect(Self.rejects(text), "\(text)")
        }
    }

    @Test func linesAndColumnsOfOffsets() {
        let index = JSONLineIndex(Array("ab\ncd\n\nef".utf8), firstLine: 5)
        #expect(index.position(of: 0) == (5, 1) && index.position(of: 1) == (5, 2))
        #expect(index.position(of: 3) == (6, 1) && index.position(of: 6) == (7, 1) && index.position(of: 8) == (8, 2))
    }

    /// Through Codable (config.json's open-ended members): numbers as their shortest text, members sorted.
    @Test func decodesThroughCodable() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"b": [1, 2.5, "x", null, true], "a": {"c": 500000}}"#.utf8))
        #expect(value.description == #"{"a": {"c": 500000.0}, "b": [1.0, 2.5, "x", null, true]}"#)
        #expect(value["a"]?["c"]?.number == 500_000)
    }
}
