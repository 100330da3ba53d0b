import Foundation

/// What can be wrong with an activations file; every case names the file and, where it applies,
/// the object inside it. The hint names the stage that writes the file.
public enum ActivationsError: Error, CustomStringConvertible {
    case notActivationsFile(path: String, detail: String)
    case unsupportedVersion(path: String, version: Int)
    case badAttribute(path: String, attribute: String, detail: String)
    case missingCondition(path: String, condition: String)
    case badDataset(path: String, dataset: String, detail: String)
    case inconsistentBatch(field: String, expected: Int, actual: Int)
    case shardsDisagree(path: String, other: String, detail: String)
    case incompleteShards(detail: String)
    /// A file whose prompt-level values were pooled otherwise than this version pools for its model type
    /// (a `llama` file from before SPEC §3's attention sink: every token pooled).
    case outdatedPooling(path: String, modelType: String, pooling: String, required: String)

    public var description: String {
        switch self {
        case let .notActivationsFile(path, detail):
            return "\(path): not a codebook activations file (\(detail)) --> HINT: write it with `extract`"
        case let .unsupportedVersion(path, version):
            return "\(path): activations format_version \(version) is not known to this version (it reads \(ActivationsLayout.formatVersion)) --> HINT: re-run `extract` with this version"
        case let .badAttribute(path, attribute, detail):
            return "\(path): root attribute '\(attribute)': \(detail)"
        case let .missingCondition(path, condition):
            return "\(path): no group /\(ActivationsLayout.conditionsGroup)/\(condition)"
        case let .badDataset(path, dataset, detail):
            return "\(path): \(dataset): \(detail)"
        case let .inconsistentBatch(field, expected, actual):
            return "activations batch: \(field) has \(actual) values, its shape needs \(expected)"
        case let .shardsDisagree(path, other, detail):
            return "\(path) and \(other) are not shards of one extraction: \(detail)"
        case let .outdatedPooling(path, modelType, pooling, required):
            let why = required == "mean_without_sink" ? " (every content token but the first: the attention sink, SPEC §3)" : ""
            return "\(path): root attribute 'pooling': a \(modelType) file must pool \"\(required)\"\(why), this one pooled \"\(pooling)\" --> HINT: re-run `extract` with this version"
        case let .incompleteShards(detail):
            return "shard files: \(detail)"
        }
    }
}
