import Foundation

/// How a prompt's per-token values are pooled into one (SPEC §3): extract's `hidden_mean` and
/// `prompt_perturbations`, and the screen, all pool here.
package enum Pooling: String, Sendable, CaseIterable {
    /// Every content token.
    case mean
    /// Every content token but the first, when there are at least two (SPEC §3): in a causal model the
    /// first content position soaks up attention and its hidden state dwarfs the others' (SPEC §3's
    /// figures for SmolLM2-135M, layers ≥ 12: the mean-pooled state's largest component is ≈ 3,900
    /// with it, 81–500 without).
    case meanWithoutSink = "mean_without_sink"

    /// A model type's pooling: a causal (`llama`) model leaves out its attention sink.
    package static func of(modelType: String) -> Pooling { modelType == "llama" ? .meanWithoutSink : .mean }

    /// The subset of `content` (a prompt's content positions, or row indices, in order) that is pooled.
    package func pooled<C: Collection>(_ content: C) -> C.SubSequence {
        switch self {
        case .mean: content[...]
        case .meanWithoutSink: content.count >= 2 ? content.dropFirst() : content[...]
        }
    }

    /// Tokens per window of the `window_max` pooling, and the step between windows' starts: about a
    /// sentence or two, so one injected instruction fills most of a window of a long document, and
    /// windows overlap by half, so no sentence falls only across a boundary.
    package static let windowSize = 32
    package static let windowStride = 16

    /// The windows of `count` pooled tokens, as index ranges into them: `windowSize` tokens each,
    /// starting every `windowStride`, the last ending at the end; one window of all when they fit.
    package static func windows(count: Int) -> [Range<Int>] {
        guard count > windowSize else { return [0..<count] }
        var starts = Array(stride(from: 0, to: count - windowSize, by: windowStride))
        starts.append(count - windowSize)
        return starts.map { $0..<($0 + windowSize) }
    }

    /// The mean of the vectors of `width` values that start at `offsets` in `values`, accumulated in
    /// Double in order and rounded to Float once: the one pooled mean of training and serving.
    package static func average(_ values: UnsafeBufferPointer<Float>, at offsets: some Collection<Int>, width: Int) -> [Float] {
        precondition(!offsets.isEmpty, "Pooling.average: no vectors")
        var sum = [Double](repeating: 0, count: width)
        for offset in offsets {
            for i in 0..<width { sum[i] += Double(values[offset + i]) }
        }
        return sum.map { Float($0 / Double(offsets.count)) }
    }
}

/// How a hidden-space scorer (mean difference, probe) reads a prompt's hidden states at its layer.
/// Compile chooses one per contrast by grouped cross-validation (issue #14) and records it in
/// config.json's `hidden_pooling`; each has a dataset in the activations file.
package enum HiddenPooling: String, Sendable, CaseIterable, Codable {
    /// The model type's pooled mean (`hidden_mean`, SPEC §3): the pooling of artifacts that record none.
    case mean
    /// Every content token, the attention sink included (`hidden_mean_all_tokens`). Only a causal
    /// model has it: for `bert` it is `mean`.
    case meanAllTokens = "mean_all_tokens"
    /// The last content token (`hidden_last_token`), where a causal model has read the whole prompt.
    case lastToken = "last_token"
    /// The highest score over the pooled tokens' windows (`Pooling.windows`, `hidden_windows`),
    /// fitted multiple-instance: a positive's best window against every window of the negatives.
    case windowMax = "window_max"

    /// The poolings a model type has: `mean_all_tokens` only where there is a sink to leave out.
    package static func available(modelType: String) -> [HiddenPooling] {
        Pooling.of(modelType: modelType) == .meanWithoutSink ? allCases : allCases.filter { $0 != .meanAllTokens }
    }
}

/// One prompt's hidden states, as a detector computes them, for `Codebook.screen`: `values` is
/// `[layers, tokens, hiddenSize]` row-major, layer 0 the embedding output; `isContent` marks the
/// prompt's own tokens (false for the special tokens a tokenizer adds, `[CLS]`, `[SEP]`, a BOS).
public struct PromptStates: Sendable {
    public let layers: Int
    public let tokens: Int
    public let hiddenSize: Int
    public let values: [Float]
    public let isContent: [Bool]

    /// Checks the shape, that there is a content token, and that every value is finite.
    public init(values: [Float], layers: Int, tokens: Int, hiddenSize: Int, isContent: [Bool]) throws(CodebookRuntimeError) {
        try self.init(values: values, layers: layers, tokens: tokens, hiddenSize: hiddenSize, isContent: isContent, checkFinite: true)
    }

    /// `checkFinite: false` for values the caller has already checked (extract does, naming the prompt and
    /// layer of a non-finite value): every value of every layer is not scanned a second time.
    package init(values: [Float], layers: Int, tokens: Int, hiddenSize: Int, isContent: [Bool],
                 checkFinite: Bool) throws(CodebookRuntimeError) {
        guard layers >= 1, tokens >= 1, hiddenSize >= 1, values.count == layers * tokens * hiddenSize else {
            throw .dimensionMismatch(what: "hidden states [\(layers), \(tokens), \(hiddenSize)]",
                                     expected: max(layers, 0) * max(tokens, 0) * max(hiddenSize, 0), actual: values.count)
        }
        guard isContent.count == tokens else { throw .dimensionMismatch(what: "isContent", expected: tokens, actual: isContent.count) }
        guard isContent.contains(true) else { throw .invalidParameter(name: "isContent", value: "all false", expected: "a content token") }
        guard !checkFinite || values.allSatisfy(\.isFinite) else { throw .nonFiniteInput(what: "hidden states") }
        self.values = values
        self.layers = layers
        self.tokens = tokens
        self.hiddenSize = hiddenSize
        self.isContent = isContent
    }

    /// The content positions `pooling` averages over.
    package func pooledPositions(_ pooling: Pooling) -> [Int] {
        Array(pooling.pooled(isContent.indices.filter { isContent[$0] }))
    }

    /// Where the hidden state of `token` at `layer` starts in `values`.
    package func offset(layer: Int, token: Int) -> Int { (layer * tokens + token) * hiddenSize }

    /// The mean hidden state at `layer` over `positions`.
    package func mean(layer: Int, over positions: [Int]) -> [Float] {
        values.withUnsafeBufferPointer { Pooling.average($0, at: positions.map { offset(layer: layer, token: $0) }, width: hiddenSize) }
    }

    /// What a hidden-space scorer with `pooling` reads at `layer`, for a model that pools as `model`
    /// (SPEC §3): one vector, or for `windowMax` one per window (`windows`) of the pooled positions.
    /// The one definition of every pooling: extract stores these, the screen scores them.
    package func features(layer: Int, pooling: HiddenPooling, model: Pooling) -> [[Float]] {
        switch pooling {
        case .mean: [mean(layer: layer, over: pooledPositions(model))]
        case .meanAllTokens: [mean(layer: layer, over: pooledPositions(.mean))]
        case .lastToken: [mean(layer: layer, over: [isContent.lastIndex(of: true)!])]
        case .windowMax:
            windows(model).map { mean(layer: layer, over: $0) }
        }
    }

    /// The pooled positions of each window of the `window_max` pooling.
    package func windows(_ model: Pooling) -> [[Int]] {
        let pooled = pooledPositions(model)
        return Pooling.windows(count: pooled.count).map { Array(pooled[$0]) }
    }
}

/// The three scorers of a behavior (SPEC §6): the 3-D codebook classifier, and the hidden-space
/// mean difference and probe.
public enum Scorer: String, Codable, Sendable, CaseIterable {
    case codebook
    case meanDifference = "mean_difference"
    case probe
    case multilayerProbe = "multilayer_probe"
}

/// Which scorer decides a behavior's verdict, and at which decision value (compile's choice).
package struct VerdictRule: Sendable, Equatable {
    package let scorer: Scorer
    /// In the scorer's decision units (`PromptSignals`).
    package let threshold: Double

    package init(scorer: Scorer, threshold: Double) {
        self.scorer = scorer
        self.threshold = threshold
    }
}

/// One behavior's verdict on one input.
public struct BehaviorVerdict: Sendable, Equatable, Codable {
    /// The contrast's name, e.g. `injection_vs_benign_instruction`.
    public let name: String
    public let scorer: Scorer
    /// The scorer's decision value: a logit for `codebook` and `probe`, `d·h + bias` for `mean_difference`.
    public let score: Double
    /// In the units of `score`; flagged when `score ≥ threshold`.
    public let threshold: Double
    public let flagged: Bool
    /// The character range `[start, end)` of the input (in Unicode scalars) that was read when the
    /// score was highest: the whole text, or the window of a long one, or, for a scorer that reads
    /// windows of 32 tokens (`window_max`), the window that decided. Set by whoever knows the text.
    public var span: [Int]?

    public init(name: String, scorer: Scorer, score: Double, threshold: Double, flagged: Bool, span: [Int]? = nil) {
        self.name = name
        self.scorer = scorer
        self.score = score
        self.threshold = threshold
        self.flagged = flagged
        self.span = span
    }
}

/// The screen's answer for one input: the behaviors it flags, and each behavior's verdict.
public struct Verdict: Sendable, Equatable, Codable {
    /// Names of the flagged behaviors, in the codebook's order.
    public var flagged: [String] { behaviors.filter(\.flagged).map(\.name) }
    public var behaviors: [BehaviorVerdict]

    public init(behaviors: [BehaviorVerdict]) { self.behaviors = behaviors }

    enum CodingKeys: String, CodingKey { case flagged, behaviors }

    public init(from decoder: Decoder) throws {
        behaviors = try decoder.container(keyedBy: CodingKeys.self).decode([BehaviorVerdict].self, forKey: .behaviors)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(flagged, forKey: .flagged)
        try container.encode(behaviors, forKey: .behaviors)
    }

    /// Per behavior, the verdict of the part where its score is highest (the first among equals): how a
    /// long input read in windows is judged.
    package static func highest(_ parts: [Verdict]) -> Verdict {
        precondition(!parts.isEmpty, "Verdict.highest: no parts")
        return Verdict(behaviors: parts[0].behaviors.indices.map { b in
            parts.dropFirst().reduce(parts[0].behaviors[b]) { best, part in part.behaviors[b].score > best.score ? part.behaviors[b] : best }
        })
    }
}

/// Every scorer's decision value for one prompt, per direction in `config.json`'s order.
package struct PromptSignals: Sendable, Equatable {
    /// The prompt's point `(sum, u, v)` in the codebook, which the codebook classifiers read.
    package var coordinates: CodebookCoordinates
    package var codebook: [Double]
    package var meanDifference: [Double]
    package var probe: [Double]
    /// Which of the vectors its pooling reads gave each hidden-space decision: for `window_max`, the
    /// window (`PromptStates.windows`) that decided; 0 for the prompt-level poolings.
    package var meanDifferenceVector: [Int]
    package var probeVector: [Int]
    /// Empty when the codebook has no multi-layer probes; −∞ for a direction without one.
    package var multilayerProbe: [Double] = []
    /// As `probeVector`, for the multi-layer probes (empty when `multilayerProbe` is).
    package var multilayerProbeVector: [Int] = []

    package func decisions(_ scorer: Scorer) -> [Double] {
        switch scorer {
        case .codebook: codebook
        case .meanDifference: meanDifference
        case .probe: probe
        case .multilayerProbe: multilayerProbe
        }
    }
}

extension Codebook {
    /// How the codebook pools a prompt's tokens: as extract pooled them for its model type (SPEC §3).
    package var pooling: Pooling { Pooling.of(modelType: configuration.model.type) }

    /// The deepest layer any scorer reads: a detector's forward pass can stop there, and `screen` needs
    /// the hidden states of layers `0...deepestLayer`.
    public var deepestLayer: Int {
        directions.reduce(layer) { max($0, $1.meanDifference.layer, $1.probe.layer, ($1.multilayerProbe?.layers ?? 0) - 1) }
    }

    /// Whether every direction has a multi-layer probe (compile fits one for each, but for a contrast
    /// whose fit failed numerically).
    package var hasMultilayerProbes: Bool { !directions.isEmpty && directions.allSatisfy { $0.multilayerProbe != nil } }

    /// The behaviors (contrasts) this codebook screens for, in order.
    public var behaviors: [String] { directions.map(\.name) }

    /// Screens one prompt: every behavior's verdict by the scorer and threshold compile chose.
    public func screen(_ prompt: PromptStates) throws(CodebookRuntimeError) -> Verdict {
        var scratch = ICDFPerturbation.Scratch()
        return verdict(try signals(prompt, scratch: &scratch))
    }

    /// The pooled positions the verdict of direction `d` was decided on, when that is one window of the
    /// prompt (a hidden-space scorer reading `window_max`); `nil` when it read the whole prompt.
    package func decidingWindow(_ d: Int, of prompt: PromptStates, signals: PromptSignals) -> [Int]? {
        let rule = directions[d].verdict
        let (pooling, index) = switch rule.scorer {
        case .codebook: (nil as HiddenPooling?, 0)
        case .meanDifference: (directions[d].meanDifference.pooling, signals.meanDifferenceVector[d])
        case .probe: (directions[d].probe.pooling, signals.probeVector[d])
        case .multilayerProbe: (directions[d].multilayerProbe?.pooling, signals.multilayerProbeVector.isEmpty ? 0 : signals.multilayerProbeVector[d])
        }
        guard pooling == .windowMax else { return nil }
        return prompt.windows(self.pooling)[index]
    }

    /// The verdict of a prompt's signals.
    package func verdict(_ signals: PromptSignals) -> Verdict {
        Verdict(behaviors: directions.indices.map { d in
            let rule = directions[d].verdict
            let score = signals.decisions(rule.scorer)[d]
            return BehaviorVerdict(name: directions[d].name, scorer: rule.scorer, score: score, threshold: rule.threshold,
                                   flagged: score >= rule.threshold)
        })
    }

    /// Every scorer's decision value for one prompt, pooled as extract pools (SPEC §3, §4): the mean of
    /// the pooled tokens' ICDF perturbations at the codebook's layer, and at each direction's layer what
    /// its pooling reads (`features`).
    package func signals(_ prompt: PromptStates, scratch: inout ICDFPerturbation.Scratch) throws(CodebookRuntimeError) -> PromptSignals {
        guard prompt.hiddenSize == configuration.model.hiddenSize else {
            throw .dimensionMismatch(what: "hidden size of the prompt's states", expected: configuration.model.hiddenSize, actual: prompt.hiddenSize)
        }
        guard prompt.layers > deepestLayer else {
            throw .dimensionMismatch(what: "layers of the prompt's states (0...\(deepestLayer) are read)", expected: deepestLayer + 1, actual: prompt.layers)
        }
        let positions = prompt.pooledPositions(pooling)
        let icdf = try ICDFPerturbation(dimension: prompt.hiddenSize)
        let levels = ICDFPerturbation.levels
        var perturbations = [Float](repeating: 0, count: positions.count * levels)  // [pooled tokens, 64]
        try prompt.values.withUnsafeBufferPointer { (hidden) throws(CodebookRuntimeError) in
            try perturbations.withUnsafeMutableBufferPointer { (output) throws(CodebookRuntimeError) in
                for (k, position) in positions.enumerated() {
                    let start = prompt.offset(layer: layer, token: position)
                    try icdf.perturbation(of: UnsafeBufferPointer(rebasing: hidden[start..<(start + prompt.hiddenSize)]),
                                          into: UnsafeMutableBufferPointer(rebasing: output[(k * levels)..<((k + 1) * levels)]),
                                          scratch: &scratch)
                }
            }
        }
        let perturbation = perturbations.withUnsafeBufferPointer {
            Pooling.average($0, at: positions.indices.map { $0 * levels }, width: levels)
        }
        return signals(perturbation: perturbation) { prompt.features(layer: $0, pooling: $1, model: pooling) }
    }

    /// Every scorer's decision value for a prompt's pooled values: its perturbation at the codebook's
    /// layer, and `hidden(layer, pooling)`, what a hidden-space scorer reads at a layer (one vector, or
    /// one per window: `PromptStates.features`), asked once per layer and pooling.
    package func signals(perturbation: [Float], hidden: (Int, HiddenPooling) -> [[Float]]) -> PromptSignals {
        let coordinates = decompose(project(perturbation)), point = coordinates.vector
        let decisions = hiddenDecisions(hidden)
        return PromptSignals(coordinates: coordinates, codebook: directions.map { $0.classifier.decision(point) },
                             meanDifference: decisions.meanDifference.map(\.value), probe: decisions.probe.map(\.value),
                             meanDifferenceVector: decisions.meanDifference.map(\.index), probeVector: decisions.probe.map(\.index),
                             multilayerProbe: decisions.multilayerProbe.map(\.value),
                             multilayerProbeVector: decisions.multilayerProbe.map(\.index))
    }

    /// The mean differences', probes' and multi-layer probes' decision values (the last empty when the
    /// codebook has none), each the highest over the vectors its pooling reads, and which vector gave it.
    package func hiddenDecisions(_ hidden: (Int, HiddenPooling) -> [[Float]])
        -> (meanDifference: [(value: Double, index: Int)], probe: [(value: Double, index: Int)],
            multilayerProbe: [(value: Double, index: Int)]) {
        struct Key: Hashable { let layer: Int, pooling: HiddenPooling }
        var cache: [Key: [[Float]]] = [:]
        func read(_ layer: Int, _ pooling: HiddenPooling) -> [[Float]] {
            let key = Key(layer: layer, pooling: pooling)
            if let bag = cache[key] { return bag }
            let bag = hidden(layer, pooling)
            cache[key] = bag
            return bag
        }
        func bag(_ direction: HiddenDirection) -> [[Float]] { read(direction.layer, direction.pooling) }
        return (directions.map { $0.meanDifference.decision(bag: bag($0.meanDifference)) },
                directions.map { $0.probe.decision(bag: bag($0.probe)) },
                directions.contains { $0.multilayerProbe != nil }
                    ? directions.map { direction in
                        direction.multilayerProbe.map { probe in probe.decision(bag: { read($0, probe.pooling) }) } ?? (-.infinity, 0)
                    } : [])
    }
}
