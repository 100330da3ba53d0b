/// Everything that can go wrong while loading a tokenizer. Encoding itself cannot fail: once a tokenizer is
/// loaded, every string has an encoding.
public enum TokenizerError: Error, CustomStringConvertible {
    /// The file could not be read.
    case unreadableFile(path: String, detail: String)
    /// The file is not JSON, or its top level is not an object.
    case malformedJSON(path: String, detail: String)
    /// A required key is absent. `key` is the full JSON path, e.g. `model.vocab`.
    case missingKey(path: String, key: String)
    /// A value has the wrong type or an impossible value, e.g. a merge naming a token not in the vocabulary.
    case invalidValue(path: String, key: String, detail: String)
    /// A well-formed setting this implementation does not support (a component type, an option value, an
    /// unknown key). Loading refuses it rather than produce ids that differ from the reference.
    case unsupported(path: String, key: String, detail: String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let detail):
            return "\(path): cannot read: \(detail)"
        case .malformedJSON(let path, let detail):
            return "\(path): not a tokenizer JSON object: \(detail)"
        case .missingKey(let path, let key):
            return "\(path): \(key): missing"
        case .invalidValue(let path, let key, let detail):
            return "\(path): \(key): \(detail)"
        case .unsupported(let path, let key, let detail):
            return "\(path): \(key): unsupported \(detail)"
        }
    }
}
