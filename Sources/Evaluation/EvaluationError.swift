import EvaluationFormat
/// What stops an evaluation: each case names the file, the contrast or the condition concerned.
package enum EvaluationError: Error, CustomStringConvertible, Equatable {
    /// The activations were extracted with another model than the one the codebook was compiled from.
    case modelMismatch(activations: String, activationsSHA256: String, artifacts: String, artifactsSHA256: String)
    /// The activations and the codebook disagree on a shape (hidden size, number of layers).
    case shapeMismatch(activations: String, artifacts: String, what: String, activationsValue: Int, artifactsValue: Int)
    /// No contrast of the codebook has both of its conditions in the activations file.
    case noContrasts(activations: String, contrasts: [String], conditions: [String])
    /// A contrast one of whose classes has no prompt on the chosen split.
    case emptyClass(contrast: String, side: String, condition: String, split: String, activations: String)
    /// A golden `eval.json` that cannot be used.
    case badGolden(path: String, reason: String)
    /// The golden was evaluated on another split than this run.
    case goldenSplitMismatch(path: String, golden: String, current: String)
    /// An output that could not be written.
    case cannotWrite(path: String, reason: String)
    /// A direction reads its prompts with a pooling the activations file does not store.
    case missingPooling(condition: String, direction: String, pooling: String)

    package var description: String {
        switch self {
        case let .modelMismatch(activations, activationsSHA256, artifacts, artifactsSHA256):
            return "\(activations): model_sha256 \(activationsSHA256) is not the model the codebook in \(artifacts) was compiled from (config.json model.sha256 \(artifactsSHA256)) --> HINT: extract with the codebook's model, or compile from these activations"
        case let .shapeMismatch(activations, artifacts, what, activationsValue, artifactsValue):
            return "\(activations): \(what) \(activationsValue), but the codebook in \(artifacts) has \(artifactsValue)"
        case let .noContrasts(activations, contrasts, conditions):
            return "\(activations): no contrast of the codebook (\(contrasts.joined(separator: ", "))) has both conditions among the file's (\(conditions.joined(separator: ", ")))"
        case let .emptyClass(contrast, side, condition, split, activations):
            let splitName = split == EvaluationSplit.all.rawValue ? "" : " \(split)"
            return "\(activations): contrast \(contrast): its \(side) condition \(condition) has no\(splitName) prompt"
                + (split == EvaluationSplit.heldout.rawValue ? " --> HINT: --split all evaluates every prompt" : "")
        case let .badGolden(path, reason):
            return "\(path): not a usable golden eval.json: \(reason)"
        case let .goldenSplitMismatch(path, golden, current):
            return "\(path): the golden was evaluated on split \(golden), this run on \(current); their AUCs are not comparable"
        case let .cannotWrite(path, reason):
            return "\(path): cannot write (\(reason))"
        case let .missingPooling(condition, direction, pooling):
            return "\(condition): the codebook's \(direction) reads the \(pooling) pooling of the hidden states, which these activations do not store --> HINT: extract them again with this version"
        }
    }
}
