import Foundation
import SafeTensors

/// Strict weight loading, after llama.cpp's loader and MLX's `verify: [.all]`.
///
/// Every tensor a model asks for must exist with exactly the expected shape and a floating-point
/// dtype (F32, F16 and BF16 are widened to Float); every tensor of the checkpoint must be taken or
/// knowingly ignored by `finish(ignoring:)`. A checkpoint of another variant than `config.json`
/// describes therefore fails at load time with the tensor's name, not later with wrong numbers.
///
/// Checkpoints name their tensors with or without the task model's prefix (`model.` for
/// `LlamaForCausalLM`, `bert.` for `BertForMaskedLM` …): the prefix is chosen once, from the tensor
/// `probe`, and then required of every tensor of the base model.
struct WeightLoader {
    let checkpoint: any WeightSource
    /// The prefix of the base model's tensors in this file: `""` or e.g. `"model."`.
    let prefix: String
    private let optionalPrefix: String
    private var taken: Set<String> = []

    private var file: String { checkpoint.weightsFile.path }

    init(checkpoint: any WeightSource, optionalPrefix: String, probe: String) {
        self.checkpoint = checkpoint
        self.optionalPrefix = optionalPrefix
        self.prefix = checkpoint.shape(of: optionalPrefix + probe) != nil ? optionalPrefix : ""
    }

    /// The base-model tensor `name` (prefixed as the file does), as Float, row-major.
    mutating func take(_ name: String, shape: [Int]) throws -> [Float] {
        let stored = prefix + name
        guard checkpoint.shape(of: stored) != nil else {
            throw DetectorModelsError.missingTensor(name: stored, tried: [optionalPrefix + name, name], file: file)
        }
        return try read(stored, shape: shape)
    }

    /// A tensor outside the base model (e.g. `lm_head.weight`), when it is there: checked like the
    /// others, so that a wrong shape is still reported.
    mutating func takeIfPresent(unprefixed name: String, shape: [Int]) throws -> [Float]? {
        guard checkpoint.shape(of: name) != nil else { return nil }
        return try read(name, shape: shape)
    }

    /// Fails when a tensor was neither taken nor matches `ignoring` (given the name as stored).
    func finish(ignoring isIgnored: (String) -> Bool) throws {
        let unexpected = checkpoint.tensorNames.filter { !taken.contains($0) && !isIgnored($0) }.sorted()
        guard unexpected.isEmpty else {
            throw DetectorModelsError.unexpectedTensors(names: unexpected, file: file)
        }
    }

    private mutating func read(_ name: String, shape: [Int]) throws -> [Float] {
        guard let actual = checkpoint.shape(of: name) else {
            throw DetectorModelsError.missingTensor(name: name, tried: [name], file: file)
        }
        guard actual == shape else {
            throw DetectorModelsError.shapeMismatch(name: name, expected: shape, actual: actual, file: file)
        }
        if let dtype = checkpoint.unsupportedDType(of: name) {
            throw DetectorModelsError.unsupportedDType(name: name, dtype: dtype, file: file)
        }
        taken.insert(name)
        let values = try checkpoint.floats(name)
        // A NaN or an infinity in a weight spreads to every hidden state: name the tensor now rather
        // than a prompt and a layer after the first forward pass.
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw DetectorModelsError.nonFiniteWeight(name: name, index: index, value: values[index], file: file)
        }
        return values
    }
}

/// Where a model's weights come from: a safetensors checkpoint folder, or a GGUF file (`GGUFWeights`).
/// Names are the transformers checkpoint's; shapes are row-major.
protocol WeightSource {
    /// The file the extract stage hashes into `model_sha256`.
    var weightsFile: URL { get }
    var tensorNames: [String] { get }
    func shape(of name: String) -> [Int]?
    /// The dtype's name when the tensor is not of a floating-point type this package reads as Float.
    func unsupportedDType(of name: String) -> String?
    func floats(_ name: String) throws -> [Float]
}

extension SafeTensorsCheckpoint: WeightSource {
    func shape(of name: String) -> [Int]? { info(name)?.shape }

    func unsupportedDType(of name: String) -> String? {
        guard let dtype = info(name)?.dtype else { return nil }
        switch dtype {
        case .F32, .F16, .BF16: return nil
        default: return "\(dtype)"
        }
    }
}
