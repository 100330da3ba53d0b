import Foundation

/// A CSV file as RFC 4180 defines it: comma-separated fields, a field in double quotes may hold
/// commas, line breaks and doubled quotes (`""` for `"`); records end at CRLF or LF. The first record
/// is the header. XSTest, JailbreakBench and HarmBench ship this way (pandas' `to_csv`).
struct CSVTable {
    let path: String
    let header: [String]
    /// The data records, each with the 1-based line it starts on.
    let records: [(line: Int, fields: [String])]

    init(_ url: URL) throws {
        try self.init(file: try SourceFile(url))
    }

    init(file: SourceFile) throws {
        path = file.path
        var parsed = try Self.parse(file.bytes, path: file.path)
        guard !parsed.isEmpty else { throw ExternalBenchmarksError.malformedCSV(file: file.path, line: 1, reason: "no header row") }
        header = parsed.removeFirst().fields
        for record in parsed where record.fields.count != header.count {
            throw ExternalBenchmarksError.wrongFieldCount(file: file.path, line: record.line, expected: header.count, found: record.fields.count)
        }
        records = parsed
    }

    /// The index of `name` in the header.
    func column(_ name: String) throws -> Int {
        guard let index = header.firstIndex(of: name) else {
            throw ExternalBenchmarksError.missingColumn(file: path, column: name, header: header)
        }
        return index
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    private static func parse(_ bytes: [UInt8], path: String) throws -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var index = 0
        // Whether the current field was quoted, and whether its closing quote has been read.
        var quoted = false, closed = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            quoted = false
            closed = false
        }
        func endRecord() {
            // A blank line holds no record (one empty unquoted field would not fit the header).
            if fields.isEmpty && field.isEmpty && !quoted { return }
            endField()
            records.append((recordLine, fields))
            fields.removeAll()
        }

        while index < bytes.count {
            let byte = bytes[index]
            if quoted && !closed {
                if byte == quote {
                    if index + 1 < bytes.count && bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    closed = true
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case comma:
                endField()
            case lf, cr:
                // CRLF or LF ends a record; a lone CR is taken as a line end too.
                if byte == cr && index + 1 < bytes.count && bytes[index + 1] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case quote where field.isEmpty && !quoted:
                quoted = true
            default:
                if quoted {
                    throw ExternalBenchmarksError.malformedCSV(file: path, line: line, reason: "text after a closing quote")
                }
                if byte == quote {
                    throw ExternalBenchmarksError.malformedCSV(file: path, line: line, reason: "a quote inside an unquoted field")
                }
                field.append(byte)
            }
            index += 1
        }
        if quoted && !closed {
            throw ExternalBenchmarksError.malformedCSV(file: path, line: recordLine, reason: "a quoted field is never closed")
        }
        // The last record when the file does not end with a line break.
        endRecord()
        return records
    }
}
