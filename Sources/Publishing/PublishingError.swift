/// Why a bundle could not be published or did not verify: each case names the file and what is wrong.
package enum PublishingError: Error, CustomStringConvertible, Equatable {
    /// An input or bundle file that must exist does not.
    case missingFile(path: String, hint: String)
    /// A file that exists could not be read.
    case cannotRead(path: String, reason: String)
    /// An output could not be written (the partial bundle is removed).
    case cannotWrite(path: String, reason: String)
    /// `eval.json` is not SPEC §9's document, or not one this publisher can state in a model card.
    case badEvaluation(file: String, key: String, reason: String)
    /// `eval.json` measured another codebook than the one beside it.
    case staleEvaluation(file: String, evaluated: String, artifacts: String)
    /// A line of `MANIFEST.sha256` that is not `<64 hex digits>  <file name>`, or lists a name twice.
    case badManifest(file: String, line: Int, reason: String)
    /// A bundle file whose bytes are not the ones the manifest records.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// A file in the bundle folder that the manifest does not list.
    case unlistedFile(path: String, manifest: String)
    /// A file the manifest lists (or every bundle must have) that is not in the folder.
    case missingListedFile(path: String, manifest: String)
    /// A manifest that does not list a file every bundle holds.
    case incompleteManifest(manifest: String, file: String)
    /// A `--model` folder whose weights are not the ones the codebook was compiled from.
    case modelMismatch(model: String, expected: String, actual: String)
    /// A name that cannot become part of the bundle's folder name.
    case badName(what: String, value: String, reason: String)

    package var description: String {
        switch self {
        case let .missingFile(path, hint):
            return "\(path): missing --> HINT: \(hint)"
        case let .cannotRead(path, reason):
            return "\(path): cannot read (\(reason))"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write (\(reason))"
        case let .badEvaluation(file, key, reason):
            return "\(file): \(key): \(reason)"
        case let .staleEvaluation(file, evaluated, artifacts):
            return "\(file): evaluates the codebook whose config.json has sha256 \(evaluated), but the config.json beside it has \(artifacts) --> HINT: re-run `evaluate` on these artifacts"
        case let .badManifest(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .checksumMismatch(file, expected, actual):
            return "\(file): sha256 \(actual) differs from the manifest's \(expected); the file was changed after publishing"
        case let .unlistedFile(path, manifest):
            return "\(path): not listed in \(manifest); a bundle holds only the files its manifest lists"
        case let .missingListedFile(path, manifest):
            return "\(path): missing, but \(manifest) lists it"
        case let .incompleteManifest(manifest, file):
            return "\(manifest): does not list \(file), which every bundle holds"
        case let .modelMismatch(model, expected, actual):
            return "\(model): weights sha256 \(actual), but the codebook was compiled from \(expected) --> HINT: give the detector the codebook was compiled for, or leave out --model"
        case let .badName(what, value, reason):
            return "\(what) \"\(value)\": \(reason)"
        }
    }
}
