import CodebookRuntime
import DetectorModels
import Foundation
import Tokenizers

/// The screen's answer for one text: its verdict, and on request every scorer's raw signals. A text
/// longer than the scorer's window is read in `chunks` overlapping windows; each behavior's verdict is
/// that of the window where its score is highest, and its `span` is that window's character range
/// (nothing is cut: an injection in the last paragraph of a long document is read, and located).
package struct ScreenedText: Sendable, Encodable, Equatable {
    /// Content tokens of the whole text.
    package var tokens: Int
    /// The windows it was read in (1 when it fits the window).
    package var chunks: Int
    package var verdict: Verdict
    /// Every scorer's signals, each the largest over the windows (`codebook score --all-signals`).
    package var signals: TextSignals?

    package init(tokens: Int, chunks: Int, verdict: Verdict, signals: TextSignals? = nil) {
        self.tokens = tokens
        self.chunks = chunks
        self.verdict = verdict
        self.signals = signals
    }
}

/// Every direction's signal from each scorer (the multi-layer probe's when the codebook has one).
package struct TextSignals: Sendable, Codable, Equatable {
    package var codebook: [DimensionSignal]
    package var meanDifference: [DimensionSignal]
    package var probe: [DimensionSignal]
    package var multilayerProbe: [DimensionSignal]?

    enum CodingKeys: String, CodingKey {
        case codebook, probe
        case meanDifference = "mean_difference"
        case multilayerProbe = "multilayer_probe"
    }

    package init(codebook: [DimensionSignal], meanDifference: [DimensionSignal], probe: [DimensionSignal],
                 multilayerProbe: [DimensionSignal]? = nil) {
        self.codebook = codebook
        self.meanDifference = meanDifference
        self.probe = probe
        self.multilayerProbe = multilayerProbe
    }
}

package enum ScoringError: Error, CustomStringConvertible {
    case modelMismatch(artifacts: String, expected: String, model: String, actual: String)
    case noContentTokens

    package var description: String {
        switch self {
        case let .modelMismatch(artifacts, expected, model, actual):
            return "\(artifacts) was compiled for the model with weights sha256 \(expected), but \(model) has \(actual)"
        case .noContentTokens:
            return "no content token: the text is empty or only whitespace"
        }
    }
}

/// Scores texts end to end: tokenize, forward pass, the ICDF perturbation at the codebook's layer
/// only, and the hidden states at the directions' layers only, pooled as each direction reads them.
package struct TextScorer: Sendable {
    package let codebook: Codebook
    package let detector: Detector
    package let maxTokens: Int

    /// Loads both and checks that the artifacts were compiled from this model's weights.
    package init(artifacts: URL, model: URL, maxTokens: Int = 256) throws {
        codebook = try Codebook.load(artifacts)
        detector = try Detector(model: model)
        let actual = try SHA256.hexDigest(ofFileAt: detector.weightsFile)
        guard actual == codebook.configuration.model.sha256 else {
            throw ScoringError.modelMismatch(artifacts: artifacts.path, expected: codebook.configuration.model.sha256,
                                             model: model.path, actual: actual)
        }
        try detector.checkMaxContentTokens(maxTokens)
        self.maxTokens = maxTokens
    }

    /// Screens one text: tokenized whole, read in windows of `maxTokens` content tokens that overlap by
    /// half (the last one ending at the text's end), each window pooled and scored by the runtime as it
    /// scores a prompt.
    package func screen(_ text: String, allSignals: Bool = false) throws -> ScreenedText {
        let whole = detector.encode(text, maxContentTokens: nil)
        guard whole.contentCount > 0 else { throw ScoringError.noContentTokens }
        let windows = Self.windows(of: whole, size: maxTokens)
        let states = try detector.hiddenStates(windows, throughLayer: codebook.deepestLayer)
        var scratch = ICDFPerturbation.Scratch()  // reused by every token of every window
        var verdicts: [Verdict] = [], signals: [PromptSignals] = []
        for (window, state) in zip(windows, states) {
            let prompt = try PromptStates(values: state.values, layers: state.layers, tokens: state.tokens,
                                          hiddenSize: state.hiddenSize, isContent: window.isSpecial.map { !$0 })
            let windowSignals = try codebook.signals(prompt, scratch: &scratch)
            var verdict = codebook.verdict(windowSignals)
            let span = Self.span(of: window)
            for b in verdict.behaviors.indices {
                // A scorer that reads windows says which one decided: the span is that window's text.
                verdict.behaviors[b].span = codebook.decidingWindow(b, of: prompt, signals: windowSignals)
                    .flatMap { Self.span(of: window, positions: $0) } ?? span
            }
            verdicts.append(verdict)
            signals.append(windowSignals)
        }
        var all: TextSignals?
        if allSignals {
            let perWindow = signals.map { codebook.dimensionSignals($0) }
            all = TextSignals(codebook: Self.largest(perWindow.map(\.codebook)), meanDifference: Self.largest(perWindow.map(\.meanDifference)),
                              probe: Self.largest(perWindow.map(\.probe)),
                              multilayerProbe: codebook.hasMultilayerProbes ? Self.largest(perWindow.map { $0.multilayerProbe! }) : nil)
        }
        return ScreenedText(tokens: whole.contentCount, chunks: windows.count, verdict: Verdict.highest(verdicts), signals: all)
    }

    /// The character range of a window's content tokens in the text (Unicode scalars).
    static func span(of window: Encoding) -> [Int]? {
        guard let first = window.isSpecial.firstIndex(of: false), let last = window.isSpecial.lastIndex(of: false) else { return nil }
        return span(of: window, positions: [first, last])
    }

    /// The character range from the first to the last of `positions` (in order) of an encoding.
    static func span(of window: Encoding, positions: [Int]) -> [Int]? {
        guard let first = positions.first, let last = positions.last, window.offsets.count == window.ids.count else { return nil }
        return [window.offsets[first].lowerBound, window.offsets[last].upperBound]
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
}
