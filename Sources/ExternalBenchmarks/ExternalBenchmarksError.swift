import Foundation

/// Why an external benchmark file could not be read, or its catalog not written. Each case names the
/// file and, where the problem sits on a line or record, that 1-based number, so the message reads
/// `path:line: what is wrong`.
package enum ExternalBenchmarksError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The evaluation data folder given does not exist.
    case missingDataFolder(path: String)
    /// A file could not be read, or is not UTF-8.
    case cannotRead(file: String, reason: String)
    /// Not CSV as RFC 4180 defines it (e.g. a quote inside an unquoted field, an unterminated quote).
    case malformedCSV(file: String, line: Int, reason: String)
    /// A CSV record with more or fewer fields than the header.
    case wrongFieldCount(file: String, line: Int, expected: Int, found: Int)
    /// A column the reader needs is not in the CSV header.
    case missingColumn(file: String, column: String, header: [String])
    /// Not JSON (one value per line in a `.jsonl` file).
    case malformedJSON(file: String, line: Int, column: Int, reason: String)
    /// A required key is absent from a record.
    case missingKey(file: String, line: Int, key: String)
    /// A value has the wrong JSON type.
    case wrongType(file: String, line: Int, key: String, expected: String, found: String)
    /// A label outside the values the source defines (e.g. XSTest's `safe`/`unsafe`).
    case unexpectedLabel(file: String, line: Int, label: String, expected: [String])
    /// BFCL's questions and possible answers do not pair up one to one by id.
    case unpairedRecord(file: String, line: Int, id: String, reason: String)
    /// The catalog folder could not be written.
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case let .missingDataFolder(path):
            return "\(path): no such folder (the external evaluation data; set EVALDATA= or --evaldata)"
        case let .cannotRead(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .malformedCSV(file, line, reason):
            return "\(file):\(line): malformed CSV: \(reason)"
        case let .wrongFieldCount(file, line, expected, found):
            return "\(file):\(line): \(found) fields, the header has \(expected)"
        case let .missingColumn(file, column, header):
            return "\(file):1: no column \"\(column)\" (header: \(header.joined(separator: ", ")))"
        case let .malformedJSON(file, line, column, reason):
            return "\(file):\(line):\(column): malformed JSON: \(reason)"
        case let .missingKey(file, line, key):
            return "\(file):\(line): missing key \"\(key)\""
        case let .wrongType(file, line, key, expected, found):
            return "\(file):\(line): \"\(key)\" must be \(expected), found \(found)"
        case let .unexpectedLabel(file, line, label, expected):
            return "\(file):\(line): label \"\(label)\" is not one of \(expected.map { "\"\($0)\"" }.joined(separator: ", "))"
        case let .unpairedRecord(file, line, id, reason):
            return "\(file):\(line): id \"\(id)\": \(reason)"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write: \(reason)"
        }
    }
}
