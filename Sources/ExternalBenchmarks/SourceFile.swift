import CodebookRuntime
import Foundation

/// One file of the evaluation data, read whole and checked to be UTF-8.
struct SourceFile {
    let path: String
    let bytes: [UInt8]

    /// Reads `url`; a leading UTF-8 byte order mark is dropped (spreadsheet exports write one).
    init(_ url: URL) throws {
        path = url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ExternalBenchmarksError.cannotRead(file: url.path, reason: FileErrorReason.of(error))
        }
        var bytes = Array(data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ExternalBenchmarksError.cannotRead(file: url.path, reason: "not UTF-8")
        }
        self.bytes = bytes
    }

    /// The file's lines with their 1-based numbers, split at `\n` (a `\r` before it is dropped);
    /// a final newline does not start another line. Blank lines are left out: JSONL exports end
    /// with one now and then, and a blank line holds no record.
    func nonBlankLines() -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var result: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        for (offset, line) in lines.enumerated() {
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            let blank = trimmed.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if !blank { result.append((offset + 1, trimmed)) }
        }
        return result
    }
}

/// One text of a benchmark, with where it came from.
package struct SourceText: Sendable, Equatable {
    /// 1-based number of the record in its source file (data rows only: a CSV header is not counted).
    package let record: Int
    /// 1-based line of the file where the record starts, for messages.
    package let line: Int
    package let text: String

    package init(record: Int, line: Int, text: String) {
        self.record = record
        self.line = line
        self.text = text
    }
}
