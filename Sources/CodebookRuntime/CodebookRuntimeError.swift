/// Errors of the runtime's numerics: each case says which input was wrong and how.
public enum CodebookRuntimeError: Error, CustomStringConvertible, Equatable {
    /// A hidden state, a point or a parameter had a NaN or an infinity where only finite numbers make sense.
    case nonFiniteInput(what: String)
    /// A buffer had the wrong length.
    case dimensionMismatch(what: String, expected: Int, actual: Int)
    /// Spline knots, values or slopes that cannot describe a monotone spline.
    case invalidSpline(reason: String)
    /// A parameter outside its domain (e.g. a spline epsilon outside (0, 0.5)).
    case invalidParameter(name: String, value: String, expected: String)
    /// A file could not be read at all.
    case cannotRead(path: String, reason: String)
    /// An artifact whose content is not what SPEC §7 says: names the file and the key.
    case badArtifact(file: String, key: String, reason: String)
    /// An artifact written by a format version this runtime does not know.
    case unsupportedVersion(file: String, version: Int, known: Int)
    /// An artifact whose bytes are not the ones `config.json` recorded.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// A `config.json` whose content is not what its `content_sha256` sealed: a value was edited.
    case editedConfiguration(file: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .nonFiniteInput(what):
            return "\(what) has a NaN or infinite value"
        case let .dimensionMismatch(what, expected, actual):
            return "\(what): expected \(expected) values, got \(actual)"
        case let .invalidSpline(reason):
            return "invalid spline: \(reason)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value): expected \(expected)"
        case let .cannotRead(path, reason):
            return "\(path): cannot read (\(reason))"
        case let .badArtifact(file, key, reason):
            return "\(file): \(key): \(reason)"
        case let .unsupportedVersion(file, version, known):
            return "\(file): format_version \(version) is not known to this runtime (it reads \(known)) --> HINT: re-run `compile` with this version"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): sha256 \(actual) differs from config.json's \(expected); the artifacts were changed after compile --> HINT: re-run `compile`"
        case let .editedConfiguration(file, expected, actual):
            return "\(file): content_sha256: its content hashes to \(actual), not the \(expected) compile sealed; a value was edited after compile --> HINT: re-run `compile`"
        }
    }
}
