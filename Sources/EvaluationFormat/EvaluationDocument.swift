import CodebookRuntime
import Foundation

/// Which prompts an evaluation reads: the catalog's held-out split, or every prompt (an external set).
package enum EvaluationSplit: String, Sendable, CaseIterable, Codable {
    case heldout
    case all

    /// Whether a prompt with SPEC §5's split code (0 train, 1 heldout) is evaluated.
    package func includes(_ code: UInt8) -> Bool {
        self == .all || code == 1
    }
}

/// The scorers an evaluation measures, with their `eval.json` keys (SPEC §9), in the document's order.
package enum Metric: String, Sendable, CaseIterable, Codable, Hashable {
    /// The codebook classifier on each prompt's perturbation.
    case codebook
    /// The windowed detector (`Codebook.detect`): a prompt's highest window-mean probability.
    case window1 = "window_1"
    case window4 = "window_4"
    case window8 = "window_8"
    case window16 = "window_16"
    /// Every token's classifier probability, labeled with its prompt's class.
    case perToken = "per_token"
    /// The hidden-space mean-difference direction's score on the prompt, read with its pooling.
    case meanDifference = "mean_difference"
    /// The hidden-space probe's probability on the prompt, read with its pooling.
    case probe
    /// The multi-layer probe's probability on the prompt (every layer's mean-pooled state); only for
    /// codebooks that have one (`isOptional`).
    case multilayerProbe = "multilayer_probe"

    /// Measured only when the codebook has the scorer: absent from `eval.json` otherwise.
    package var isOptional: Bool { self == .multilayerProbe }

    /// The window of a windowed metric.
    package var window: Int? {
        switch self {
        case .window1: return 1
        case .window4: return 4
        case .window8: return 8
        case .window16: return 16
        default: return nil
        }
    }

    package static let windows: [Metric] = [.window1, .window4, .window8, .window16]

    /// The metric that measures a verdict's scorer: the same key.
    package init(_ scorer: Scorer) { self.init(rawValue: scorer.rawValue)! }

    /// A short label for tables and legends.
    package var label: String {
        switch self {
        case .codebook: return "codebook"
        case .window1: return "window 1"
        case .window4: return "window 4"
        case .window8: return "window 8"
        case .window16: return "window 16"
        case .perToken: return "per token"
        case .meanDifference: return "mean difference"
        case .probe: return "probe"
        case .multilayerProbe: return "multi-layer probe"
        }
    }
}

/// One number per metric; encoded as an object with every key of `Metric` (an optional metric's only
/// when it was measured).
package struct MetricValues: Sendable, Equatable, Codable {
    package private(set) var values: [Double?]  // [Metric.allCases.count], in Metric.allCases order

    /// `value` must give every metric that is not optional.
    package init(_ value: (Metric) throws -> Double?) rethrows {
        values = try Metric.allCases.map(value)
        precondition(zip(Metric.allCases, values).allSatisfy { $0.isOptional || $1 != nil }, "MetricValues: a required metric is missing")
    }

    package subscript(metric: Metric) -> Double? {
        get { values[Metric.allCases.firstIndex(of: metric)!] }
        set { values[Metric.allCases.firstIndex(of: metric)!] = newValue }
    }

    /// The metrics measured, in `Metric.allCases` order.
    package var measured: [Metric] { Metric.allCases.filter { self[$0] != nil } }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    package init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        values = try Metric.allCases.map { metric in
            let key = Key(stringValue: metric.rawValue)
            return metric.isOptional ? try container.decodeIfPresent(Double.self, forKey: key) : try container.decode(Double.self, forKey: key)
        }
    }

    package func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (metric, value) in zip(Metric.allCases, values) { try container.encodeIfPresent(value, forKey: Key(stringValue: metric.rawValue)) }
    }
}

/// Where a prompt comes from: its id without a trailing `-<digits>` (`gandalf-0042` → `gandalf`), or
/// `nil` for an id without one. `codebook external-catalog` numbers each benchmark's prompts so; a SPEC
/// catalog numbers each condition's (`harmful-0001`), so each of its classes has one source.
package enum PromptSource {
    package static func of(_ id: String) -> String? {
        guard let dash = id.lastIndex(of: "-"), dash > id.startIndex else { return nil }
        let number = id[id.index(after: dash)...]
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(id[..<dash])
    }
}

/// `eval.json` (SPEC §9).
package struct EvaluationDocument: Sendable, Equatable, Codable {
    package static let formatVersion = 1

    /// Which codebook was evaluated.
    package struct Artifacts: Sendable, Equatable, Codable {
        /// sha256 of the artifacts' `config.json` bytes (which holds the other files' checksums).
        package var configSHA256: String
        package var layer: Int

        enum CodingKeys: String, CodingKey {
            case configSHA256 = "config_sha256"
            case layer
        }

        package init(configSHA256: String, layer: Int) {
            self.configSHA256 = configSHA256
            self.layer = layer
        }
    }

    /// True and false positive rates at one threshold.
    package struct Rates: Sendable, Equatable, Codable {
        package var tpr: Double
        package var fpr: Double

        package init(tpr: Double, fpr: Double) {
            self.tpr = tpr
            self.fpr = fpr
        }
    }

    /// One contrast's numbers.
    package struct Contrast: Sendable, Equatable, Codable {
        package var name: String
        package var positive: String
        package var negative: String
        /// Prompts of each class on the split.
        package var nPositive: Int
        package var nNegative: Int
        package var auc: MetricValues
        /// The highest TPR among the thresholds with FPR ≤ 1%.
        package var tprAtFPR01: MetricValues
        /// The codebook classifier on prompt perturbations at the stored (Youden) threshold.
        package var atThreshold: Rates
        /// The screen's verdict (compile's scorer at its threshold) on the split: what a firewall flags.
        package var verdict: VerdictRates?
        /// Each source of positives against each source of negatives (`PromptSource`), when a class
        /// holds prompts of more than one: an external set mixes benchmarks, and a detector fails on some
        /// of them, not on all. `nil` (absent) otherwise, as for every SPEC catalog.
        package var sources: [SourcePair]?

        enum CodingKeys: String, CodingKey {
            case name, positive, negative, auc, verdict, sources
            case nPositive = "n_positive"
            case nNegative = "n_negative"
            case tprAtFPR01 = "tpr_at_fpr01"
            case atThreshold = "at_threshold"
        }

        package init(name: String, positive: String, negative: String, nPositive: Int, nNegative: Int,
                    auc: MetricValues, tprAtFPR01: MetricValues, atThreshold: Rates, verdict: VerdictRates? = nil,
                    sources: [SourcePair]? = nil) {
            self.name = name
            self.positive = positive
            self.negative = negative
            self.nPositive = nPositive
            self.nNegative = nNegative
            self.auc = auc
            self.tprAtFPR01 = tprAtFPR01
            self.atThreshold = atThreshold
            self.verdict = verdict
            self.sources = sources
        }
    }

    /// One contrast's numbers on the prompts of one source of positives and one source of negatives.
    package struct SourcePair: Sendable, Equatable, Codable {
        package var positive: String
        package var negative: String
        package var nPositive: Int
        package var nNegative: Int
        /// The prompt-level scorers a verdict can use (`Scorer`); `multilayer_probe` only when measured.
        package var auc: ScorerAUC
        /// The verdict's TPR on these positives and FPR on these negatives.
        package var verdict: Rates

        enum CodingKeys: String, CodingKey {
            case positive, negative, auc, verdict
            case nPositive = "n_positive"
            case nNegative = "n_negative"
        }

        package init(positive: String, negative: String, nPositive: Int, nNegative: Int, auc: ScorerAUC, verdict: Rates) {
            self.positive = positive
            self.negative = negative
            self.nPositive = nPositive
            self.nNegative = nNegative
            self.auc = auc
            self.verdict = verdict
        }
    }

    /// The verdict's scorer, and its rates on the split at the threshold compile calibrated.
    package struct VerdictRates: Sendable, Equatable, Codable {
        package var scorer: Scorer
        package var tpr: Double
        package var fpr: Double
        /// The share of the prompts of the file's other evaluated conditions (neither of the contrast's
        /// two) that the verdict flags: text of other kinds, none of which shows the behavior by
        /// construction of the catalog; `nil` when there are none, and in documents written before it.
        package var otherFPR: Double?
        package var nOther: Int?

        enum CodingKeys: String, CodingKey {
            case scorer, tpr, fpr
            case otherFPR = "other_fpr"
            case nOther = "n_other"
        }

        package init(scorer: Scorer, tpr: Double, fpr: Double, otherFPR: Double? = nil, nOther: Int? = nil) {
            self.scorer = scorer
            self.tpr = tpr
            self.fpr = fpr
            self.otherFPR = otherFPR
            self.nOther = nOther
        }
    }

    package var formatVersion: Int = Self.formatVersion
    package var split: EvaluationSplit
    package var artifacts: Artifacts
    package var contrasts: [Contrast]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case split, artifacts, contrasts
    }

    package init(split: EvaluationSplit, artifacts: Artifacts, contrasts: [Contrast]) {
        self.split = split
        self.artifacts = artifacts
        self.contrasts = contrasts
    }

    /// The document's bytes: sorted keys and fixed formatting, so the same evaluation gives the same bytes.
    package func encoded() throws -> Data {
        var data = try JSONEncoder.artifact.encode(self)
        data.append(0x0A)
        return data
    }
}
