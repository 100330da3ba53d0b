import CodebookRuntime
import DetectorModels
import Foundation
import Tokenizers

/// Everything the codebook says about one text: its prompt-level signals from the codebook
/// classifiers, the hidden-space mean-difference directions and the probes. A text longer than the
/// scorer's window is read in `chunks` overlapping windows, and each signal is its largest over them
/// (nothing is cut: an injection in the last paragraph of a long document is read too).
public struct TextSignals: Sendable, Codable, Equatable {
    /// Content tokens of the whole text.
    public var tokens: Int
    /// The windows it was read in (1 when it fits the window).
    public var chunks: Int
    public var codebook: [DimensionSignal]
    public var meanDifference: [DimensionSignal]
    public var probe: [DimensionSignal]

    enum CodingKeys: String, CodingKey {
        case tokens, chunks, codebook, probe
        case meanDifference = "mean_difference"
    }

    public init(tokens: Int, chunks: Int, codebook: [DimensionSignal], meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        self.tokens = tokens
        self.chunks = chunks
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

    /// Scores each text: tokenized whole, read in windows of `maxTokens` content tokens that overlap by
    /// half (the last one ending at the text's end), each window run as extract runs a prompt, every signal
    /// the largest over the windows.
    public func score(_ texts: [String]) throws -> [TextSignals] {
        try texts.indices.map { index in
            let whole = detector.encode(texts[index], maxContentTokens: nil)
            guard whole.contentCount > 0 else { throw ScoringError.noContentTokens(input: index) }
            let windows = Self.windows(of: whole, size: maxTokens)
            let states = try detector.hiddenStates(windows, throughLayer: deepestLayer)
            var scratch = ICDFPerturbation.Scratch()  // reused by every token of every window
            let signals = try zip(windows, states).map { try score(window: $0, states: $1, scratch: &scratch) }
            return TextSignals(tokens: whole.contentCount, chunks: windows.count,
                               codebook: Self.largest(signals.map(\.codebook)),
                               meanDifference: Self.largest(signals.map(\.meanDifference)),
                               probe: Self.largest(signals.map(\.probe)))
        }
    }

    /// The last layer any scorer reads: the forward pass stops there.
    var deepestLayer: Int {
        codebook.directions.reduce(codebook.layer) { max($0, $1.meanDifference.layer, $1.probe.layer) }
    }

    /// The windows of an encoding's content tokens, each with the encoding's leading and trailing special
    /// tokens around it: `size` tokens each, starting every `size / 2`, the last ending at the end.
    package static func windows(of encoding: Encoding, size: Int) -> [Encoding] {
        let leading = encoding.isSpecial.prefix { $0 }.count
        let trailing = encoding.isSpecial.reversed().prefix { $0 }.count
        let content = leading..<(encoding.ids.count - trailing)
        guard content.count > size else { return [encoding] }
        let stride = max(size / 2, 1)
        var starts = Array(Swift.stride(from: content.lowerBound, to: content.upperBound - size, by: stride))
        starts.append(content.upperBound - size)
        return starts.map { start in
            let ids = Array(encoding.ids[..<leading]) + Array(encoding.ids[start..<(start + size)]) + Array(encoding.ids[content.upperBound...])
            let offsets = Array(encoding.offsets[..<leading]) + Array(encoding.offsets[start..<(start + size)])
                + Array(encoding.offsets[content.upperBound...])
            return Encoding(ids: ids, isSpecial: Array(repeating: true, count: leading) + Array(repeating: false, count: size)
                                + Array(repeating: true, count: trailing), offsets: offsets, truncated: false)
        }
    }

    /// Per direction, the signal of the window where it is largest.
    static func largest(_ windows: [[DimensionSignal]]) -> [DimensionSignal] {
        windows[0].indices.map { d in windows.map { $0[d] }.max { $0.probability < $1.probability }! }
    }

    /// One window's signals, pooled as extract pools its prompts.
    private func score(window encoding: Encoding, states state: HiddenStates, scratch: inout ICDFPerturbation.Scratch) throws
        -> (codebook: [DimensionSignal], meanDifference: [DimensionSignal], probe: [DimensionSignal]) {
        let levels = ICDFPerturbation.levels, d = detector.description.hiddenSize
        var perturbation = [Float](repeating: 0, count: levels)
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
        return (codebook.score(promptPerturbation), hidden.meanDifference, hidden.probe)
    }
}
