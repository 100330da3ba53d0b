/// Everything that can go wrong between a model folder and its hidden states.
///
/// Each case names where the problem is (file, key, tensor) and what was expected, so that the
/// one-line message a command prints is enough to fix the input.
public enum DetectorModelsError: Error, CustomStringConvertible, Equatable {
    /// `config.json` is missing, is not JSON, or a key has the wrong type.
    case unreadableConfiguration(path: String, reason: String)
    /// `model_type` names an architecture this package does not implement.
    case unsupportedModelType(path: String, modelType: String)
    /// A configuration value selects a variant this package does not implement (a RoPE scaling type,
    /// a GELU approximation, biases in the Llama projections, …).
    case unsupportedSetting(path: String, key: String, value: String, supported: String)
    /// Configuration values that contradict each other (e.g. heads that do not divide the hidden size).
    case invalidConfiguration(path: String, reason: String)
    /// An expected weight is not in the checkpoint (`tried` lists the names looked up).
    case missingTensor(name: String, tried: [String], file: String)
    /// A weight has another shape than the configuration implies.
    case shapeMismatch(name: String, expected: [Int], actual: [Int], file: String)
    /// A weight is stored in a type other than F32, F16 or BF16.
    case unsupportedDType(name: String, dtype: String, file: String)
    /// A weight holds a NaN or an infinity (`index` into the flattened tensor).
    case nonFiniteWeight(name: String, index: Int, value: Float, file: String)
    /// Tensors in the checkpoint that the model neither uses nor knowingly ignores: a sign that the
    /// checkpoint is of another architecture or variant than `config.json` says.
    case unexpectedTensors(names: [String], file: String)
    /// A prompt of the batch is longer than the model's position table.
    case sequenceTooLong(prompt: Int, tokens: Int, maximum: Int)
    /// A content-token limit beyond the model's positions less its special tokens.
    case tooManyContentTokens(option: String, requested: Int, maximum: Int, positions: Int, special: Int)
    /// A token id outside the embedding table.
    case tokenOutOfRange(prompt: Int, id: Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case let .unreadableConfiguration(path, reason):
            return "\(path): cannot read the model configuration: \(reason)"
        case let .unsupportedModelType(path, modelType):
            return "\(path): model_type \"\(modelType)\" is not supported (supported: \"llama\", \"bert\")"
        case let .unsupportedSetting(path, key, value, supported):
            return "\(path): \(key) = \(value) is not supported (supported: \(supported))"
        case let .invalidConfiguration(path, reason):
            return "\(path): invalid model configuration: \(reason)"
        case let .missingTensor(name, tried, file):
            let names = tried.count > 1 ? " (looked for \(tried.joined(separator: ", ")))" : ""
            return "\(file): tensor \(name) is missing\(names)"
        case let .shapeMismatch(name, expected, actual, file):
            return "\(file): tensor \(name) has shape \(actual), expected \(expected)"
        case let .unsupportedDType(name, dtype, file):
            return "\(file): tensor \(name) is \(dtype); weights must be F32, F16 or BF16"
        case let .nonFiniteWeight(name, index, value, file):
            return "\(file): tensor \(name) holds \(value) at flat index \(index); weights must be finite"
        case let .unexpectedTensors(names, file):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", … (\(names.count) in all)" : "")
            return "\(file): unexpected tensors for this architecture: \(shown)"
        case let .tooManyContentTokens(option, requested, maximum, positions, special):
            return "\(option) \(requested): this model takes at most \(maximum) content tokens (\(positions) positions less \(special) special tokens)"
        case let .sequenceTooLong(prompt, tokens, maximum):
            return "prompt \(prompt) has \(tokens) tokens; the model takes at most \(maximum)"
        case let .tokenOutOfRange(prompt, id, vocabularySize):
            return "prompt \(prompt): token id \(id) is outside the vocabulary (size \(vocabularySize))"
        }
    }
}
