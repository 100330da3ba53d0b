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
    let checkpoint: SafeTensorsCheckpoint
    /// The prefix of the base model's tensors in this file: `""` or e.g. `"model."`.
    let prefix: String
    private let optionalPrefix: String
    private var taken: Set<String> = []

    private var file: String { checkpoint.weightsFile.path }

    init(checkpoint: SafeTensorsCheckpoint, optionalPrefix: String, probe: String) {
        self.checkpoint = checkpoint
        self.optionalPrefix = optionalPrefix
        self.prefix = checkpoint.info(optionalPrefix + probe) != nil ? optionalPrefix : ""
    }

    /// The base-model tensor `name` (prefixed as the file does), as Float, row-major.
    mutating func take(_ name: String, shape: [Int]) throws -> [Float] {
        let stored = prefix + name
        guard checkpoint.info(stored) != nil else {
            throw DetectorModelsError.missingTensor(name: stored, tried: [optionalPrefix + name, name], file: file)
        }
        return try read(stored, shape: shape)
    }

    /// A tensor outside the base model (e.g. `lm_head.weight`), when it is there: checked like the
    /// others, so that a wrong shape is still reported.
    mutating func takeIfPresent(unprefixed name: String, shape: [Int]) throws -> [Float]? {
        guard checkpoint.info(name) != nil else { return nil }
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
        guard let info = checkpoint.info(name) else {
            throw DetectorModelsError.missingTensor(name: name, tried: [name], file: file)
        }
        guard info.shape == shape else {
            throw DetectorModelsError.shapeMismatch(name: name, expected: shape, actual: info.shape, file: file)
        }
        switch info.dtype {
        case .F32, .F16, .BF16: break
        default: throw DetectorModelsError.unsupportedDType(name: name, dtype: "\(info.dtype)", file: file)
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
