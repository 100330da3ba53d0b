import CodebookRuntime
import DetectorModels
import Foundation
import Tokenizers

/// Everything the codebook says about one text: its prompt-level signals from the codebook
/// classifiers, the hidden-space mean-difference directions and the probes.
public struct TextSignals: Sendable, Codable, Equatable {
    public var tokens: Int
    public var truncated: Bool
    public var codebook: [DimensionSignal]
    public var meanDifference: [DimensionSignal]
    public var probe: [DimensionSignal]

    enum CodingKeys: String, CodingKey {
        case tokens, truncated, codebook, probe
        case meanDifference = "mean_difference"
    }

    public init(tokens: Int, truncated: Bool, codebook: [DimensionSignal], meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        self.tokens = tokens
        self.truncated = truncated
        self.codebook = codebook
        self.meanDifference = meanDifference
        self.probe = probe
    }
}

public enum ScoringError: Error, CustomStringConvertible {
    case modelMismatch(artifacts: String, expected: String, model: String, actual: String)
    case noContentTokens(input: Int)

    public var description: String {
        switch self {
        case let .modelMismatch(artifacts, expected, model, actual):
            return "\(artifacts) was compiled for the model with weights sha256 \(expected), but \(model) has \(actual)"
        case let .noContentTokens(input):
            return "input \(input) yields no content token"
        }
    }
}

/// Scores texts end to end: tokenize, forward pass, the ICDF perturbation at the codebook's layer
/// only, and the mean hidden states at the directions' layers only.
public struct TextScorer: Sendable {
    public let codebook: Codebook
    public let detector: Detector
    public let maxTokens: Int
    private let icdf: ICDFPerturbation

    /// Loads both and checks that the artifacts were compiled from this model's weights.
    public init(artifacts: URL, model: URL, maxTokens: Int = 256) throws {
        codebook = try Codebook.load(artifacts)
        detector = try Detector(model: model)
        let actual = try SHA256.hexDigest(ofFileAt: detector.weightsFile)
        guard actual == codebook.configuration.model.sha256 else {
            throw ScoringError.modelMismatch(artifacts: artifacts.path, expected: codebook.configuration.model.sha256,
                                             model: model.path, actual: actual)
        }
        try detector.checkMaxContentTokens(maxTokens)
        self.maxTokens = maxTokens
        icdf = try ICDFPerturbation(dimension: detector.description.hiddenSize)
    }

    public func score(_ texts: [String]) throws -> [TextSignals] {
        let encodings = texts.map { detector.encode($0, maxContentTokens: maxTokens) }
        if let empty = encodings.firstIndex(where: { $0.contentCount == 0 }) { throw ScoringError.noContentTokens(input: empty) }
        let states = try detector.hiddenStates(encodings)
        let levels = ICDFPerturbation.levels, d = detector.description.hiddenSize
        var scratch = ICDFPerturbation.Scratch()
        var perturbation = [Float](repeating: 0, count: levels)
        return try zip(encodings, states).map { encoding, state in
            let content = encoding.isSpecial.indices.filter { !encoding.isSpecial[$0] }
            // Pooled as extract pools (SPEC §3: a causal model's first content token left out).
            let pooled = Array(detector.description.pooling.pooled(content))
            // The prompt's perturbation: the mean of its pooled tokens' at the codebook layer (SPEC §4).
            var mean = [Double](repeating: 0, count: levels)
            try state.values.withUnsafeBufferPointer { hidden in  // [layers, tokens, d]
                for position in pooled {
                    let start = (codebook.layer * state.tokens + position) * d
                    try perturbation.withUnsafeMutableBufferPointer { output in
                        try icdf.perturbation(of: UnsafeBufferPointer(rebasing: hidden[start..<(start + d)]), into: output, scratch: &scratch)
                    }
                    for k in 0..<levels { mean[k] += Double(perturbation[k]) }
                }
            }
            let promptPerturbation = mean.map { Float($0 / Double(pooled.count)) }
            let hidden = codebook.scoreHidden { layer in state.mean(layer: layer, over: pooled) }
            return TextSignals(tokens: content.count, truncated: encoding.truncated, codebook: codebook.score(promptPerturbation),
                               meanDifference: hidden.meanDifference, probe: hidden.probe)
        }
    }
}
