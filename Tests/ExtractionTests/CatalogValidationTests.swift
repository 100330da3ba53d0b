import Activations
import CodebookRuntime
import Foundation
import Testing
import TestSupport
@testable import Extraction

/// Every way a catalog can be wrong is refused with a `CatalogError` that names the file and line.
/// Each case writes a tiny catalog into a fresh folder; the default contrast is `p_vs_n` (p, n).
@Suite struct CatalogValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        var catalog: String? = Self.defaultCatalog
        var files: [String: String] = ["p.jsonl": Self.line("p-1", "fine"), "n.jsonl": Self.line("n-1", "fine too")]
        var allowMissing = false
        /// The file the error must name (relative to the folder), its line (nil: none), and its kind.
        let file: String
        let line: Int?
        let kind: String

        var testDescription: String { name }

        static let defaultCatalog = """
            {"format_version": 1, "contrasts": [
              {"name": "p_vs_n", "positive": "p", "negative": "n"}
            ]}
            """

        static func line(_ id: String, _ text: String, split: String = "train") -> String {
            #"{"id": "\#(id)", "text": "\#(text)", "split": "\#(split)"}"# + "\n"
        }
    }

    /// The case name of an error, to compare kinds without repeating every associated value.
    static func kind(_ error: CatalogError) -> String {
        switch error {
        case .cannotRead: "cannotRead"
        case .malformedJSON: "malformedJSON"
        case .unsupportedFormatVersion: "unsupportedFormatVersion"
        case .unknownKey: "unknownKey"
        case .missingKey: "missingKey"
        case .wrongType: "wrongType"
        case .invalidName: "invalidName"
        case .noContrasts: "noContrasts"
        case .duplicateContrast: "duplicateContrast"
        case .sameConditionOnBothSides: "sameConditionOnBothSides"
        case .missingConditionFile: "missingConditionFile"
        case .emptyConditionFile: "emptyConditionFile"
        case .emptyID: "emptyID"
        case .duplicateID: "duplicateID"
        case .emptyText: "emptyText"
        case .badSplit: "badSplit"
        }
    }

    static let p1 = Case.line("p-1", "fine")

    static let cases: [Case] = [
        // catalog.json
        Case(name: "no catalog.json", catalog: nil, file: "catalog.json", line: nil, kind: "cannotRead"),
        Case(name: "catalog.json not JSON", catalog: "{\"format_version\": 1,\n \"contrasts\": [\n", file: "catalog.json", line: 3, kind: "malformedJSON"),
        Case(name: "catalog.json an array", catalog: "[1, 2]", file: "catalog.json", line: 1, kind: "malformedJSON"),
        Case(name: "trailing garbage", catalog: Case.defaultCatalog + "\n}", file: "catalog.json", line: 4, kind: "malformedJSON"),
        Case(name: "duplicate key in catalog.json",
             catalog: "{\"format_version\": 1,\n \"format_version\": 1, \"contrasts\": []}", file: "catalog.json", line: 2, kind: "malformedJSON"),
        Case(name: "format_version 2", catalog: "{\n\"format_version\": 2, \"contrasts\": []}", file: "catalog.json", line: 2,
             kind: "unsupportedFormatVersion"),
        Case(name: "format_version a string", catalog: "{\"format_version\": \"1\", \"contrasts\": []}", file: "catalog.json", line: 1,
             kind: "wrongType"),
        Case(name: "format_version missing", catalog: "{\"contrasts\": []}", file: "catalog.json", line: 1, kind: "missingKey"),
        Case(name: "unknown top-level key",
             catalog: "{\"format_version\": 1,\n\"contrasts\": [{\"name\": \"p_vs_n\", \"positive\": \"p\", \"negative\": \"n\"}],\n\"notes\": \"x\"}",
             file: "catalog.json", line: 3, kind: "unknownKey"),
        Case(name: "unknown contrast key",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": \"p_vs_n\", \"positive\": \"p\", \"negative\": \"n\", \"weight\": 2}]}",
             file: "catalog.json", line: 2, kind: "unknownKey"),
        Case(name: "contrasts missing", catalog: "{\"format_version\": 1}", file: "catalog.json", line: 1, kind: "missingKey"),
        Case(name: "contrasts not an array", catalog: "{\"format_version\": 1, \"contrasts\": {}}", file: "catalog.json", line: 1, kind: "wrongType"),
        Case(name: "contrasts empty", catalog: "{\"format_version\": 1,\n \"contrasts\": []}", file: "catalog.json", line: 2, kind: "noContrasts"),
        Case(name: "contrast not an object", catalog: "{\"format_version\": 1, \"contrasts\": [\n\"p_vs_n\"]}", file: "catalog.json", line: 2,
             kind: "wrongType"),
        Case(name: "contrast missing negative",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": \"p_vs_n\", \"positive\": \"p\"}]}", file: "catalog.json", line: 2,
             kind: "missingKey"),
        Case(name: "contrast name a number",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": 7, \"positive\": \"p\", \"negative\": \"n\"}]}", file: "catalog.json",
             line: 2, kind: "wrongType"),
        Case(name: "duplicate contrast name",
             catalog: """
                 {"format_version": 1, "contrasts": [
                   {"name": "p_vs_n", "positive": "p", "negative": "n"},
                   {"name": "p_vs_n", "positive": "n", "negative": "p"}
                 ]}
                 """,
             file: "catalog.json", line: 3, kind: "duplicateContrast"),
        Case(name: "same condition both sides",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": \"p_vs_p\", \"positive\": \"p\", \"negative\": \"p\"}]}",
             file: "catalog.json", line: 2, kind: "sameConditionOnBothSides"),
        Case(name: "condition name with a path",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": \"p_vs_n\", \"positive\": \"../p\", \"negative\": \"n\"}]}",
             file: "catalog.json", line: 2, kind: "invalidName"),
        Case(name: "empty contrast name",
             catalog: "{\"format_version\": 1, \"contrasts\": [\n{\"name\": \"\", \"positive\": \"p\", \"negative\": \"n\"}]}",
             file: "catalog.json", line: 2, kind: "invalidName"),
        Case(name: "contrast names a missing condition file",
             catalog: """
                 {"format_version": 1, "contrasts": [
                   {"name": "p_vs_n", "positive": "p", "negative": "n"},
                   {"name": "p_vs_q", "positive": "p", "negative": "q"}
                 ]}
                 """,
             file: "catalog.json", line: 3, kind: "missingConditionFile"),
        Case(name: "every condition file missing, even when allowed",
             files: [:], allowMissing: true, file: "catalog.json", line: 2, kind: "missingConditionFile"),
        // <condition>.jsonl
        Case(name: "malformed line", files: ["p.jsonl": p1 + "{\"id\": \"p-2\", \"text\": \"x\",\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "malformedJSON"),
        Case(name: "line is not an object", files: ["p.jsonl": p1 + "[\"p-2\", \"x\"]\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "malformedJSON"),
        Case(name: "blank line inside", files: ["p.jsonl": p1 + "\n" + Case.line("p-2", "x"), "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "malformedJSON"),
        Case(name: "duplicate key in a prompt", files: ["p.jsonl": p1 + "{\"id\": \"p-2\", \"text\": \"x\", \"text\": \"y\"}\n",
                                                       "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "malformedJSON"),
        Case(name: "invalid UTF-8", files: ["p.jsonl": p1 + "{\"id\": \"p-2\", \"text\": \"\u{FFFD}\"}\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "malformedJSON"),
        Case(name: "unknown prompt key",
             files: ["p.jsonl": p1 + p1.replacingOccurrences(of: "p-1", with: "p-2") + "{\"id\": \"p-3\", \"text\": \"x\", \"label\": 1}\n",
                     "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 3, kind: "unknownKey"),
        Case(name: "missing id", files: ["p.jsonl": "{\"text\": \"x\"}\n", "n.jsonl": Case.line("n-1", "x")], file: "p.jsonl", line: 1,
             kind: "missingKey"),
        Case(name: "missing text", files: ["p.jsonl": p1, "n.jsonl": "{\"id\": \"n-1\"}\n"], file: "n.jsonl", line: 1, kind: "missingKey"),
        Case(name: "text a number", files: ["p.jsonl": "{\"id\": \"p-1\", \"text\": 12}\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 1, kind: "wrongType"),
        Case(name: "id a number", files: ["p.jsonl": "{\"id\": 1, \"text\": \"x\"}\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 1, kind: "wrongType"),
        Case(name: "empty text", files: ["p.jsonl": p1 + Case.line("p-2", ""), "n.jsonl": Case.line("n-1", "x")], file: "p.jsonl", line: 2,
             kind: "emptyText"),
        Case(name: "whitespace-only text", files: ["p.jsonl": p1, "n.jsonl": Case.line("n-1", " \\n\\t\\u00a0 ")], file: "n.jsonl", line: 1,
             kind: "emptyText"),
        Case(name: "empty id", files: ["p.jsonl": Case.line("  ", "x"), "n.jsonl": Case.line("n-1", "x")], file: "p.jsonl", line: 1,
             kind: "emptyID"),
        Case(name: "bad split", files: ["p.jsonl": p1 + Case.line("p-2", "x", split: "test"), "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 2, kind: "badSplit"),
        Case(name: "split capitalized", files: ["p.jsonl": p1, "n.jsonl": Case.line("n-1", "x", split: "Heldout")], file: "n.jsonl", line: 1,
             kind: "badSplit"),
        Case(name: "split null", files: ["p.jsonl": "{\"id\": \"p-1\", \"text\": \"x\", \"split\": null}\n", "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 1, kind: "wrongType"),
        Case(name: "duplicate id in one file",
             files: ["p.jsonl": p1 + Case.line("p-2", "x") + Case.line("p-1", "y"), "n.jsonl": Case.line("n-1", "x")],
             file: "p.jsonl", line: 3, kind: "duplicateID"),
        Case(name: "duplicate id across files", files: ["p.jsonl": p1 + Case.line("p-2", "x"), "n.jsonl": Case.line("n-1", "x") + Case.line("p-2", "y")],
             file: "n.jsonl", line: 2, kind: "duplicateID"),
        Case(name: "empty condition file", files: ["p.jsonl": p1, "n.jsonl": ""], file: "n.jsonl", line: nil, kind: "emptyConditionFile"),
        Case(name: "condition file of blank lines", files: ["p.jsonl": "\n \n", "n.jsonl": Case.line("n-1", "x")], file: "p.jsonl", line: nil,
             kind: "emptyConditionFile"),
    ]

    @Test(arguments: cases)
    func refusedWithFileAndLine(_ testCase: Case) throws {
        let folder = try Fixtures.temporaryDirectory("catalog-validation")
        defer { try? FileManager.default.removeItem(at: folder) }
        if let catalog = testCase.catalog {
            try Data(catalog.utf8).write(to: folder.appendingPathComponent("catalog.json"))
        }
        for (name, content) in testCase.files {
            var bytes = Array(content.utf8)
            if testCase.name == "invalid UTF-8" {
                // Replace the U+FFFD placeholder with a lone continuation byte: not valid UTF-8.
                let placeholder = Array("\u{FFFD}".utf8)
                if let start = bytes.indices.first(where: { bytes[$0...].starts(with: placeholder) }), name == "p.jsonl" {
                    bytes.replaceSubrange(start ..< start + placeholder.count, with: [0x80])
                }
            }
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        let error = try #require(throws: CatalogError.self) {
            try Catalog.load(directory: folder, allowingMissingConditions: testCase.allowMissing)
        }
        #expect(Self.kind(error) == testCase.kind, "\(error)")
        #expect(error.file == folder.appendingPathComponent(testCase.file).path, "\(error)")
        #expect(error.line == testCase.line, "\(error)")
        // The message leads with `path:line:` so editors and terminals can jump to it.
        let location = testCase.line.map { "\(error.file):\($0)" } ?? error.file
        #expect(error.description.hasPrefix(location), "\(error)")
    }

    /// A few messages spelled out in full: what a user sees must say what is wrong, not only where.
    @Test func messagesSayWhatIsWrong() throws {
        let folder = try Fixtures.temporaryDirectory("catalog-validation")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(Case.defaultCatalog.utf8).write(to: folder.appendingPathComponent("catalog.json"))
        try Data((Self.p1 + Case.line("p-2", "x", split: "test")).utf8).write(to: folder.appendingPathComponent("p.jsonl"))
        try Data(Case.line("n-1", "x").utf8).write(to: folder.appendingPathComponent("n.jsonl"))
        let p = folder.appendingPathComponent("p.jsonl").path
        let badSplit = try #require(throws: CatalogError.self) { try Catalog.load(directory: folder) }
        #expect(badSplit == .badSplit(file: p, line: 2, id: "p-2", value: "test"))
        #expect(badSplit.description == "\(p):2: prompt \"p-2\" has split \"test\"; expected \"train\" or \"heldout\"")

        try Data((Self.p1 + Self.p1).utf8).write(to: folder.appendingPathComponent("p.jsonl"))
        let duplicate = try #require(throws: CatalogError.self) { try Catalog.load(directory: folder) }
        #expect(duplicate.description == "\(p):2: duplicate id \"p-1\" (first at \(p):1)")

        try Data((Self.p1 + "{\"id\": \"p-2\", \"txt\": \"x\"}\n").utf8).write(to: folder.appendingPathComponent("p.jsonl"))
        let unknown = try #require(throws: CatalogError.self) { try Catalog.load(directory: folder) }
        #expect(unknown.description == "\(p):2: unknown key \"txt\" (allowed: id, text, split)")
    }
}
