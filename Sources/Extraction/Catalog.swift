import Activations
import CodebookRuntime
import Foundation

/// Which part of the experiment a prompt belongs to. The raw values are what `extract` stores in
/// the activations file's `split` dataset (SPEC §5).
package enum Split: UInt8, Sendable, Equatable, CaseIterable {
    /// Used to fit the codebook.
    case train = 0
    /// Kept out of every fit; `evaluate` scores on it.
    case heldout = 1

    /// The spelling in the catalog files.
    package var name: String {
        switch self {
        case .train: "train"
        case .heldout: "heldout"
        }
    }
}

/// One line of a condition file.
package struct CatalogPrompt: Sendable, Equatable {
    package let id: String
    package let text: String
    package let split: Split

    package init(id: String, text: String, split: Split) {
        self.id = id
        self.text = text
        self.split = split
    }
}

/// A condition catalog (SPEC §2): `catalog.json` naming the contrasts, and one `<condition>.jsonl`
/// per condition, one prompt per line. Everything is validated when it loads, before any model work.
///
/// **Evaluation catalogs** use the same format but may hold any subset of the conditions: load them
/// with `allowingMissingConditions: true`. Their `catalog.json` still lists whole contrasts (usually
/// the default catalog's eight, so names line up with the artifacts); a condition whose file is
/// absent is skipped instead of refused, and `completeContrasts` says which contrasts have both sides.
/// At least one condition file must exist. Compiling needs every condition, so the default is strict.
package struct Catalog: Sendable {
    /// The folder the catalog was loaded from.
    package let directory: URL
    /// The contrasts in `catalog.json` order.
    package let contrasts: [Contrast]
    /// The conditions in catalog order: each contrast's positive then negative, each condition at its
    /// first appearance only. With `allowingMissingConditions`, only the conditions whose file exists.
    package let conditions: [String]
    /// The prompts of each condition in `conditions`, in file order.
    package let prompts: [String: [CatalogPrompt]]
    /// Lowercase hex SHA-256 identifying the catalog's exact bytes (the activations file and the
    /// artifacts record it as `catalog_sha256`).
    ///
    /// Defined as the SHA-256 of this byte stream, over the files in order — `catalog.json` first, then
    /// `<condition>.jsonl` for each condition in `conditions` order — where each file contributes
    /// `name ‖ 0x00 ‖ length ‖ bytes`: its file name (e.g. `harmful.jsonl`, UTF-8, no folder),
    /// one zero byte, its byte count as a little-endian UInt64, then its bytes exactly as on disk.
    /// The name and length prefix keep two different catalogs from hashing the same stream (moving a
    /// line from one file to the next changes the hash). Files the catalog does not reference do not count.
    package let sha256: String

    /// The contrasts whose positive and negative conditions are both loaded (all of them unless the
    /// catalog was loaded with `allowingMissingConditions`).
    package var completeContrasts: [Contrast] {
        contrasts.filter { prompts[$0.positive] != nil && prompts[$0.negative] != nil }
    }

    /// The file name of `catalog.json`.
    package static let catalogFileName = "catalog.json"
    /// The only `format_version` this reader knows.
    package static let formatVersion = 1

    /// Loads and validates the catalog in `directory`; the first problem found is thrown as a
    /// `CatalogError` naming its file and line.
    package static func load(directory: URL, allowingMissingConditions: Bool = false) throws -> Catalog {
        let catalogURL = directory.appendingPathComponent(catalogFileName)
        let catalogBytes = try readFile(catalogURL)
        let contrastEntries = try parseCatalogFile(withoutBOM(catalogBytes), path: catalogURL.path)
        let contrasts = contrastEntries.map(\.contrast)

        // Conditions in catalog order, each with the catalog.json line that first names it.
        var conditions: [String] = []
        var seenConditions: Set<String> = []
        var missing: [(condition: String, entry: ContrastEntry)] = []
        for entry in contrastEntries {
            for condition in [entry.contrast.positive, entry.contrast.negative] where seenConditions.insert(condition).inserted {
                let url = conditionURL(directory: directory, condition: condition)
                if FileManager.default.fileExists(atPath: url.path) {
                    conditions.append(condition)
                } else {
                    missing.append((condition, entry))
                }
            }
        }
        if let first = missing.first, !allowingMissingConditions || conditions.isEmpty {
            throw CatalogError.missingConditionFile(
                file: catalogURL.path, line: first.entry.line, contrast: first.entry.contrast.name,
                condition: first.condition, expectedFile: conditionURL(directory: directory, condition: first.condition).path)
        }

        var hasher = SHA256()
        hashFile(name: catalogFileName, bytes: catalogBytes, into: &hasher)
        var prompts: [String: [CatalogPrompt]] = [:]
        var firstSeen: [String: (file: String, line: Int)] = [:]
        for condition in conditions {
            let url = conditionURL(directory: directory, condition: condition)
            let bytes = try readFile(url)
            hashFile(name: url.lastPathComponent, bytes: bytes, into: &hasher)
            prompts[condition] = try parseConditionFile(withoutBOM(bytes), path: url.path, firstSeen: &firstSeen)
        }
        return Catalog(
            directory: directory, contrasts: contrasts, conditions: conditions, prompts: prompts,
            sha256: SHA256.hex(hasher.finalize()))
    }

    /// `<directory>/<condition>.jsonl`.
    package static func conditionURL(directory: URL, condition: String) -> URL {
        directory.appendingPathComponent("\(condition).jsonl")
    }

    // MARK: - catalog.json

    private struct ContrastEntry {
        let contrast: Contrast
        let line: Int
    }

    private static let catalogKeys = ["format_version", "contrasts"]
    private static let contrastKeys = ["name", "positive", "negative"]
    private static let promptKeys = ["id", "text", "split"]

    private static func parseCatalogFile(_ bytes: [UInt8], path: String) throws -> [ContrastEntry] {
        let root = try parseJSON(bytes, path: path, firstLine: 1)
        guard case let .object(members) = root.value else {
            throw CatalogError.malformedJSON(
                file: path, line: root.line, column: root.column, reason: "the file must hold one JSON object, found \(root.typeName)")
        }
        // The version first: a newer format may have keys this reader does not know.
        guard let version = member("format_version", of: members) else {
            throw CatalogError.missingKey(file: path, line: root.line, key: "format_version")
        }
        guard case let .number(text) = version.value, let number = Double(text) else {
            throw CatalogError.wrongType(file: path, line: version.line, key: "format_version", expected: "a number", found: version.typeName)
        }
        guard number == Double(formatVersion) else {
            throw CatalogError.unsupportedFormatVersion(file: path, line: version.line, found: formatNumber(number))
        }
        try checkKeys(members, allowed: catalogKeys, path: path)
        guard let contrastsNode = member("contrasts", of: members) else {
            throw CatalogError.missingKey(file: path, line: root.line, key: "contrasts")
        }
        guard case let .array(elements) = contrastsNode.value else {
            throw CatalogError.wrongType(file: path, line: contrastsNode.line, key: "contrasts", expected: "an array", found: contrastsNode.typeName)
        }
        guard !elements.isEmpty else { throw CatalogError.noContrasts(file: path, line: contrastsNode.line) }

        var entries: [ContrastEntry] = []
        var firstLineOfName: [String: Int] = [:]
        for element in elements {
            guard case let .object(fields) = element.value else {
                throw CatalogError.wrongType(file: path, line: element.line, key: "contrasts[]", expected: "an object", found: element.typeName)
            }
            try checkKeys(fields, allowed: contrastKeys, path: path)
            let name = try requiredString("name", of: fields, at: element.line, path: path)
            let positive = try requiredString("positive", of: fields, at: element.line, path: path)
            let negative = try requiredString("negative", of: fields, at: element.line, path: path)
            for (key, value) in [("name", name), ("positive", positive), ("negative", negative)] where !isValidName(value.string) {
                throw CatalogError.invalidName(file: path, line: value.line, key: key, name: value.string)
            }
            if let firstLine = firstLineOfName[name.string] {
                throw CatalogError.duplicateContrast(file: path, line: element.line, name: name.string, firstLine: firstLine)
            }
            firstLineOfName[name.string] = element.line
            guard positive.string != negative.string else {
                throw CatalogError.sameConditionOnBothSides(file: path, line: element.line, contrast: name.string, condition: positive.string)
            }
            entries.append(ContrastEntry(
                contrast: Contrast(name: name.string, positive: positive.string, negative: negative.string), line: element.line))
        }
        return entries
    }

    /// Names become file names (`<condition>.jsonl`) and HDF5 group names, so they are kept plain.
    private static func isValidName(_ name: String) -> Bool {
        (1 ... 100).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
                 UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    // MARK: - <condition>.jsonl

    private static func parseConditionFile(
        _ bytes: [UInt8], path: String, firstSeen: inout [String: (file: String, line: Int)]
    ) throws -> [CatalogPrompt] {
        let lines = splitLines(bytes)
        guard lines.contains(where: { !isBlank($0) }) else { throw CatalogError.emptyConditionFile(file: path) }
        var prompts: [CatalogPrompt] = []
        prompts.reserveCapacity(lines.count)
        for (offset, lineBytes) in lines.enumerated() {
            let lineNumber = offset + 1
            guard !isBlank(lineBytes) else {
                throw CatalogError.malformedJSON(
                    file: path, line: lineNumber, column: 1, reason: "blank line (each line must hold one prompt object)")
            }
            let node = try parseJSON(lineBytes, path: path, firstLine: lineNumber)
            guard case let .object(fields) = node.value else {
                throw CatalogError.malformedJSON(
                    file: path, line: lineNumber, column: node.column, reason: "each line must hold one JSON object, found \(node.typeName)")
            }
            try checkKeys(fields, allowed: promptKeys, path: path)
            let id = try requiredString("id", of: fields, at: lineNumber, path: path).string
            guard !isWhitespace(id) else { throw CatalogError.emptyID(file: path, line: lineNumber) }
            let text = try requiredString("text", of: fields, at: lineNumber, path: path).string
            guard !isWhitespace(text) else { throw CatalogError.emptyText(file: path, line: lineNumber, id: id) }
            var split = Split.train  // SPEC §2: a missing split means train.
            if let splitNode = member("split", of: fields) {
                guard case let .string(value) = splitNode.value else {
                    throw CatalogError.wrongType(file: path, line: lineNumber, key: "split", expected: "a string", found: splitNode.typeName)
                }
                guard let parsed = Split.allCases.first(where: { $0.name == value }) else {
                    throw CatalogError.badSplit(file: path, line: lineNumber, id: id, value: value)
                }
                split = parsed
            }
            if let first = firstSeen[id] {
                throw CatalogError.duplicateID(file: path, line: lineNumber, id: id, firstFile: first.file, firstLine: first.line)
            }
            firstSeen[id] = (path, lineNumber)
            prompts.append(CatalogPrompt(id: id, text: text, split: split))
        }
        return prompts
    }

    /// Splits at `\n`; a `\r` before `\n` is dropped, and blank lines at the end of the file (an editor's
    /// trailing newlines) start no prompt. A blank line between prompts is still an error.
    private static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        while let last = lines.last, isBlank(last) { lines.removeLast() }
        return lines.map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
    }

    /// The bytes after a UTF-8 byte-order mark, which some editors write first: it is not part of the
    /// JSON. (The catalog's sha256 is still taken over the file as it is.)
    private static func withoutBOM(_ bytes: [UInt8]) -> [UInt8] {
        bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    }

    private static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }

    private static func isWhitespace(_ string: String) -> Bool {
        string.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    // MARK: - Shared helpers

    private static func readFile(_ url: URL) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: url))
        } catch {
            throw CatalogError.cannotRead(file: url.path, reason: FileErrorReason.of(error))
        }
    }

    private static func parseJSON(_ bytes: some Collection<UInt8>, path: String, firstLine: Int) throws -> CatalogJSONNode {
        do {
            return try CatalogJSONNode.parse(Array(bytes), firstLine: firstLine)
        } catch {
            throw CatalogError.malformedJSON(file: path, line: error.line, column: error.column, reason: error.reason)
        }
    }

    private static func member(_ key: String, of members: [(key: String, node: CatalogJSONNode)]) -> CatalogJSONNode? {
        members.first { $0.key == key }?.node
    }

    /// Refuses the first key not in `allowed`, at that key's value's line.
    private static func checkKeys(_ members: [(key: String, node: CatalogJSONNode)], allowed: [String], path: String) throws {
        if let unknown = members.first(where: { !allowed.contains($0.key) }) {
            throw CatalogError.unknownKey(file: path, line: unknown.node.line, key: unknown.key, allowed: allowed)
        }
    }

    private static func requiredString(
        _ key: String, of members: [(key: String, node: CatalogJSONNode)], at line: Int, path: String
    ) throws -> (string: String, line: Int) {
        guard let node = member(key, of: members) else { throw CatalogError.missingKey(file: path, line: line, key: key) }
        guard case let .string(string) = node.value else {
            throw CatalogError.wrongType(file: path, line: node.line, key: key, expected: "a string", found: node.typeName)
        }
        return (string, node.line)
    }

    private static func formatNumber(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    /// Appends one file to the catalog hash stream: `name ‖ 0x00 ‖ UInt64-LE length ‖ bytes`.
    private static func hashFile(name: String, bytes: [UInt8], into hasher: inout SHA256) {
        hasher.update(Array(name.utf8))
        hasher.update([0])
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { hasher.update($0) }
        hasher.update(bytes)
    }
}
