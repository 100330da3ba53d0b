import Foundation
import JSON

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
                value = try JSONParser.parse(bytes).value
            } catch {
                let (line, column) = JSONLineIndex(bytes, firstLine: number).position(of: error.offset)
                throw ExternalBenchmarksError.malformedJSON(file: file.path, line: line, column: column, reason: error.reason)
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
