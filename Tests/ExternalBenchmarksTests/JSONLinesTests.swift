import Foundation
import Testing
@testable import ExternalBenchmarks

/// The JSON Lines reader of the benchmarks' files (the JSON reader itself is tested in JSONTests).
@Suite struct JSONLinesTests {
    @Test func errorsNameLineAndColumn() throws {
        let folder = try ScratchFolder()
        let file = try folder.write("a.jsonl", "{\"text\": \"fine\"}\n\n{\"text\": oops}\n")
        #expect(throws: ExternalBenchmarksError.malformedJSON(file: file.path, line: 3, column: 10, reason: "expected a JSON value")) {
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
}
