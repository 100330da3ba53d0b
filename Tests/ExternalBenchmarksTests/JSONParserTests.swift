import Foundation
import Testing
@testable import ExternalBenchmarks

/// The JSON reader keeps what BFCL's rendering needs (member order, number literals) and refuses
/// what RFC 8259 refuses.
@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(ArraySlice(Array(text.utf8)))
    }

    @Test func keepsMemberOrderAndNumberLiterals() throws {
        let value = try parse(#"{"zeta": 1, "alpha": [2.50, -0, 1e3, 7890], "mid": {"b": true, "a": null}}"#)
        #expect(value == .object([
            .init("zeta", .number("1")),
            .init("alpha", .array([.number("2.50"), .number("-0"), .number("1e3"), .number("7890")])),
            .init("mid", .object([.init("b", .bool(true)), .init("a", .null)])),
        ]))
        #expect(value["alpha"] == .array([.number("2.50"), .number("-0"), .number("1e3"), .number("7890")]))
        #expect(value["absent"] == nil)
    }

    @Test func decodesEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse(#""日本語 and raw UTF-8""#) == .string("日本語 and raw UTF-8"))
        #expect(try parse(#""\\u4e0a""#) == .string("\\u4e0a"))  // an escaped backslash, not an escape
    }

    @Test func refusesWhatJSONRefuses() throws {
        let bad = [
            #"{"a": 1, "a": 2}"#,  // duplicate key
            #"{"a": 1,}"#, "[1 2]", "01", "1.", "-", "1e", "tru", #""open"#, "\"tab\there\"",
            #""\x""#, #""\ud83d""#, #""\ude00""#, "{} {}", "",
        ]
        for text in bad {
            #expect(throws: JSONSyntaxError.self, "\(text)") { try parse(text) }
        }
    }

    @Test func errorsNameLineAndColumn() throws {
        let folder = try ScratchFolder()
        let file = try folder.write("a.jsonl", "{\"text\": \"fine\"}\n\n{\"text\": oops}\n")
        #expect(throws: ExternalBenchmarksError.malformedJSON(file: file.path, line: 3, column: 10, reason: "unexpected character \"o\"")) {
            try JSONLines(file)
        }
    }

    @Test func linesSkipBlankLinesAndNeedObjects() throws {
        let folder = try ScratchFolder()
        let good = try folder.write("good.jsonl", "{\"text\": \"one\"}\r\n\n{\"text\": \"two\"}")
        let lines = try JSONLines(good)
        #expect(lines.records.map(\.line) == [1, 3])
        let bad = try folder.write("bad.jsonl", "{\"text\": \"one\"}\n[1]\n")
        #expect(throws: ExternalBenchmarksError.wrongType(file: bad.path, line: 2, key: "(line)", expected: "an object", found: "an array")) {
            try JSONLines(bad)
        }
    }

    @Test func refusesNestingBeyondTheLimit() throws {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try parse(fine)
    }
}
