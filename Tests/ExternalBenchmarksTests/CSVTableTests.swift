import Foundation
import Testing
@testable import ExternalBenchmarks

/// RFC 4180 as pandas writes it: quoted fields with commas, doubled quotes and line breaks.
@Suite struct CSVTableTests {
    @Test func quotedFieldsAndLineNumbers() throws {
        let folder = try ScratchFolder()
        let contents = "id,prompt,label\r\n" + "1,plain text,safe\r\n" + "2,\"with, a comma\",unsafe\r\n"
            + "3,\"she said \"\"hello\"\"\",safe\r\n" + "4,\"two\nlines\",safe\r\n" + "5,,safe\r\n"
        let file = try folder.write("a.csv", contents)
        let table = try CSVTable(file)
        #expect(table.header == ["id", "prompt", "label"])
        #expect(table.records.map(\.fields[1]) == ["plain text", "with, a comma", "she said \"hello\"", "two\nlines", ""])
        // Each record's line is where it starts; the one after a quoted line break starts a line later.
        #expect(table.records.map(\.line) == [2, 3, 4, 5, 7])
        #expect(try table.column("label") == 2)
    }

    @Test func lastRecordWithoutLineBreakAndByteOrderMark() throws {
        let folder = try ScratchFolder()
        let file = try folder.write("a.csv", "\u{FEFF}goal,category\nfirst,x\n\"last, quoted\",y")
        let table = try CSVTable(file)
        #expect(table.header == ["goal", "category"])
        #expect(table.records.map(\.fields) == [["first", "x"], ["last, quoted", "y"]])
    }

    @Test func nonASCIIText() throws {
        let folder = try ScratchFolder()
        let file = try folder.write("a.csv", "goal\nCafé ☕ 東京 🙂\n")
        #expect(try CSVTable(file).records.map(\.fields) == [["Café ☕ 東京 🙂"]])
    }

    @Test func refusesMalformedFiles() throws {
        let folder = try ScratchFolder()
        let cases: [(String, ExternalBenchmarksError)] = [
            ("a,b\n1,2,3\n", .wrongFieldCount(file: "", line: 2, expected: 2, found: 3)),
            ("a,b\n1,\"open\n", .malformedCSV(file: "", line: 2, reason: "a quoted field is never closed")),
            ("a,b\n1,x\"y\n", .malformedCSV(file: "", line: 2, reason: "a quote inside an unquoted field")),
            ("a,b\n1,\"x\"y\n", .malformedCSV(file: "", line: 2, reason: "text after a closing quote")),
            ("", .malformedCSV(file: "", line: 1, reason: "no header row")),
        ]
        for (index, (contents, expected)) in cases.enumerated() {
            let file = try folder.write("bad\(index).csv", contents)
            #expect(throws: withFile(expected, file.path)) { try CSVTable(file) }
        }
    }

    @Test func missingColumnNamesTheHeader() throws {
        let folder = try ScratchFolder()
        let file = try folder.write("a.csv", "id,text\n1,x\n")
        let table = try CSVTable(file)
        #expect(throws: ExternalBenchmarksError.missingColumn(file: file.path, column: "prompt", header: ["id", "text"])) {
            try table.column("prompt")
        }
    }

    @Test func refusesInvalidUTF8() throws {
        let folder = try ScratchFolder()
        let file = folder.url.appendingPathComponent("latin1.csv")
        try Data([0x61, 0x0A, 0xE9, 0x0A]).write(to: file)
        #expect(throws: ExternalBenchmarksError.cannotRead(file: file.path, reason: "not UTF-8")) { try CSVTable(file) }
    }
}

/// `error` with its file set to `path` (the cases above are written before the file exists).
func withFile(_ error: ExternalBenchmarksError, _ path: String) -> ExternalBenchmarksError {
    switch error {
    case let .malformedCSV(_, line, reason): .malformedCSV(file: path, line: line, reason: reason)
    case let .wrongFieldCount(_, line, expected, found): .wrongFieldCount(file: path, line: line, expected: expected, found: found)
    case let .malformedJSON(_, line, column, reason): .malformedJSON(file: path, line: line, column: column, reason: reason)
    default: error
    }
}
