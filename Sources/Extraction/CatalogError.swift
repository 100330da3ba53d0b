import Foundation

/// Why a condition catalog was refused. Each case names the file and, where the problem sits on a
/// line, that 1-based line, so the message reads like a compiler's: `path:line: what is wrong`.
package enum CatalogError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file (or the folder) could not be read.
    case cannotRead(file: String, reason: String)
    /// Not JSON, or not one JSON value per line in a `.jsonl` file (this includes duplicate keys and
    /// blank lines).
    case malformedJSON(file: String, line: Int, column: Int, reason: String)
    /// `catalog.json`'s `format_version` is not 1.
    case unsupportedFormatVersion(file: String, line: Int, found: String)
    /// An object has a key the format does not define.
    case unknownKey(file: String, line: Int, key: String, allowed: [String])
    /// A required key is absent.
    case missingKey(file: String, line: Int, key: String)
    /// A value has the wrong JSON type (e.g. a number where a string belongs).
    case wrongType(file: String, line: Int, key: String, expected: String, found: String)
    /// A contrast or condition name that cannot serve as a file and group name.
    case invalidName(file: String, line: Int, key: String, name: String)
    /// `contrasts` is empty.
    case noContrasts(file: String, line: Int)
    /// Two contrasts share a name.
    case duplicateContrast(file: String, line: Int, name: String, firstLine: Int)
    /// A contrast whose positive and negative condition are the same.
    case sameConditionOnBothSides(file: String, line: Int, contrast: String, condition: String)
    /// A contrast names a condition whose `<condition>.jsonl` does not exist.
    case missingConditionFile(file: String, line: Int, contrast: String, condition: String, expectedFile: String)
    /// A condition file with no prompt in it.
    case emptyConditionFile(file: String)
    /// A prompt id that is empty or only whitespace.
    case emptyID(file: String, line: Int)
    /// Two prompts with the same id, in one file or across files.
    case duplicateID(file: String, line: Int, id: String, firstFile: String, firstLine: Int)
    /// A prompt text that is empty or only whitespace.
    case emptyText(file: String, line: Int, id: String)
    /// `split` is neither `train` nor `heldout`.
    case badSplit(file: String, line: Int, id: String, value: String)

    /// The file the error is about.
    package var file: String {
        switch self {
        case let .cannotRead(file, _), let .malformedJSON(file, _, _, _), let .unsupportedFormatVersion(file, _, _),
             let .unknownKey(file, _, _, _), let .missingKey(file, _, _), let .wrongType(file, _, _, _, _),
             let .invalidName(file, _, _, _), let .noContrasts(file, _), let .duplicateContrast(file, _, _, _),
             let .sameConditionOnBothSides(file, _, _, _), let .missingConditionFile(file, _, _, _, _),
             let .emptyConditionFile(file), let .emptyID(file, _), let .duplicateID(file, _, _, _, _),
             let .emptyText(file, _, _), let .badSplit(file, _, _, _):
            file
        }
    }

    /// The 1-based line the error is about, or nil when it concerns the whole file.
    package var line: Int? {
        switch self {
        case .cannotRead, .emptyConditionFile:
            nil
        case let .malformedJSON(_, line, _, _), let .unsupportedFormatVersion(_, line, _), let .unknownKey(_, line, _, _),
             let .missingKey(_, line, _), let .wrongType(_, line, _, _, _), let .invalidName(_, line, _, _),
             let .noContrasts(_, line), let .duplicateContrast(_, line, _, _), let .sameConditionOnBothSides(_, line, _, _),
             let .missingConditionFile(_, line, _, _, _), let .emptyID(_, line), let .duplicateID(_, line, _, _, _),
             let .emptyText(_, line, _), let .badSplit(_, line, _, _):
            line
        }
    }

    package var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        switch self {
        case let .cannotRead(_, reason):
            return "\(location): cannot read: \(reason)"
        case let .malformedJSON(_, _, column, reason):
            return "\(location):\(column): malformed JSON: \(reason)"
        case let .unsupportedFormatVersion(_, _, found):
            return "\(location): format_version \(found) is not supported (this version reads format_version 1)"
        case let .unknownKey(_, _, key, allowed):
            return "\(location): unknown key \"\(key)\" (allowed: \(allowed.joined(separator: ", ")))"
        case let .missingKey(_, _, key):
            return "\(location): missing required key \"\(key)\""
        case let .wrongType(_, _, key, expected, found):
            return "\(location): \"\(key)\" must be \(expected), found \(found)"
        case let .invalidName(_, _, key, name):
            return "\(location): \"\(key)\" value \"\(name)\" is not a valid name (use 1-100 characters from A-Z a-z 0-9 _ -)"
        case .noContrasts:
            return "\(location): \"contrasts\" is empty; a catalog needs at least one contrast"
        case let .duplicateContrast(_, _, name, firstLine):
            return "\(location): duplicate contrast name \"\(name)\" (first defined at line \(firstLine))"
        case let .sameConditionOnBothSides(_, _, contrast, condition):
            return "\(location): contrast \"\(contrast)\" uses condition \"\(condition)\" as both positive and negative"
        case let .missingConditionFile(_, _, contrast, condition, expectedFile):
            return "\(location): contrast \"\(contrast)\" names condition \"\(condition)\", but \(expectedFile) does not exist"
        case .emptyConditionFile:
            return "\(location): condition file has no prompts"
        case .emptyID:
            return "\(location): \"id\" is empty"
        case let .duplicateID(_, _, id, firstFile, firstLine):
            return "\(location): duplicate id \"\(id)\" (first at \(firstFile):\(firstLine))"
        case let .emptyText(_, _, id):
            return "\(location): prompt \"\(id)\" has empty text"
        case let .badSplit(_, _, id, value):
            return "\(location): prompt \"\(id)\" has split \"\(value)\"; expected \"train\" or \"heldout\""
        }
    }
}
