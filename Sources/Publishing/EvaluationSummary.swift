import CodebookRuntime
import EvaluationFormat
import Foundation

/// What a bundle states from `eval.json` (SPEC §9): which codebook was measured, on which split, and
/// every contrast's class sizes, AUCs and rates at the stored threshold.
///
/// Decoded with the one schema of eval.json (`EvaluationFormat.EvaluationDocument`, which evaluate
/// writes), then checked strictly: an unknown `format_version`, a missing key or an AUC outside [0, 1]
/// is an error naming the key, never a number left out of the model card.
package struct EvaluationSummary: Sendable, Equatable {
    package static let fileName = "eval.json"
    package static let formatVersion = 1
    /// One contrast's numbers.
    package struct Contrast: Sendable, Equatable {
        package var name: String
        package var positive: String
        package var negative: String
        package var nPositive: Int
        package var nNegative: Int
        /// `[Metric.allCases.count]`, in `Metric.allCases` order; `nil` for an optional metric not measured.
        package var auc: [Double?]
        /// The codebook classifier's true and false positive rates at its stored (Youden) threshold.
        package var thresholdTPR: Double
        package var thresholdFPR: Double

        /// One of the AUCs (0 for an optional metric this evaluation did not measure: see `metrics`).
        package func auc(_ key: Metric) -> Double {
            auc[Metric.allCases.firstIndex(of: key) ?? 0] ?? 0
        }
    }

    /// The metrics measured for every contrast (the optional ones only when the codebook has them).
    package var metrics: [Metric] {
        Metric.allCases.filter { metric in contrasts.allSatisfy { $0.auc[Metric.allCases.firstIndex(of: metric)!] != nil } }
    }

    /// `heldout` or `all`.
    package var split: String
    /// sha256 of the evaluated codebook's `config.json` bytes.
    package var configSHA256: String
    package var layer: Int
    package var contrasts: [Contrast]

    /// Reads and checks `eval.json`'s bytes; `path` names the file in errors.
    package init(data: Data, path: String) throws {
        let version: Int
        do {
            version = try JSONDecoder().decode(Versioned.self, from: data).formatVersion
        } catch {
            throw PublishingError.badEvaluation(file: path, key: "format_version", reason: "missing or not an integer (\(Self.describe(error)))")
        }
        guard version == Self.formatVersion else {
            throw PublishingError.badEvaluation(
                file: path, key: "format_version",
                reason: "\(version) is not known here (this reads \(Self.formatVersion)) --> HINT: re-run `evaluate` with this version")
        }
        let document: EvaluationDocument
        do {
            document = try JSONDecoder().decode(EvaluationDocument.self, from: data)
        } catch {
            throw PublishingError.badEvaluation(file: path, key: Self.codingPath(error), reason: Self.describe(error))
        }
        guard !document.contrasts.isEmpty else {
            throw PublishingError.badEvaluation(file: path, key: "contrasts", reason: "empty")
        }
        var seen = Set<String>()
        contrasts = try document.contrasts.enumerated().map { i, entry in
            let key = "contrasts[\(i)]"
            guard seen.insert(entry.name).inserted else {
                throw PublishingError.badEvaluation(file: path, key: "\(key).name", reason: "\"\(entry.name)\" appears twice")
            }
            guard entry.nPositive > 0, entry.nNegative > 0 else {
                throw PublishingError.badEvaluation(file: path, key: key, reason: "n_positive and n_negative must be positive")
            }
            let auc = try Metric.allCases.map { metric -> Double? in
                guard let value = entry.auc[metric] else { return nil }
                guard (0...1).contains(value) else {
                    throw PublishingError.badEvaluation(file: path, key: "\(key).auc.\(metric.rawValue)", reason: "\(value) is not in [0, 1]")
                }
                return value
            }
            for (name, rate) in [("tpr", entry.atThreshold.tpr), ("fpr", entry.atThreshold.fpr)] where !(0...1).contains(rate) {
                throw PublishingError.badEvaluation(file: path, key: "\(key).at_threshold.\(name)", reason: "\(rate) is not in [0, 1]")
            }
            return Contrast(name: entry.name, positive: entry.positive, negative: entry.negative,
                            nPositive: entry.nPositive, nNegative: entry.nNegative, auc: auc,
                            thresholdTPR: entry.atThreshold.tpr, thresholdFPR: entry.atThreshold.fpr)
        }
        split = document.split.rawValue
        configSHA256 = document.artifacts.configSHA256
        layer = document.artifacts.layer
    }

    /// Reads and checks the `eval.json` at `url`.
    package init(contentsOf url: URL) throws {
        try self.init(data: try Files.read(url), path: url.path)
    }

    /// Refuses an evaluation of another codebook than `configuration` (whose `config.json` bytes hash to
    /// `configSHA256`): a model card must never state numbers measured on different artifacts.
    package func check(against configuration: CodebookConfiguration, configSHA256 actual: String, path: String) throws {
        guard configSHA256 == actual else {
            throw PublishingError.staleEvaluation(file: path, evaluated: configSHA256, artifacts: actual)
        }
        guard layer == configuration.perturbation.layer else {
            throw PublishingError.badEvaluation(file: path, key: "artifacts.layer",
                                                reason: "\(layer), but config.json's layer is \(configuration.perturbation.layer)")
        }
        for (i, contrast) in contrasts.enumerated() {
            guard let direction = configuration.directions.first(where: { $0.name == contrast.name }) else {
                throw PublishingError.badEvaluation(file: path, key: "contrasts[\(i)].name",
                                                    reason: "\"\(contrast.name)\" is not a direction of config.json")
            }
            guard direction.positive == contrast.positive, direction.negative == contrast.negative else {
                throw PublishingError.badEvaluation(
                    file: path, key: "contrasts[\(i)]",
                    reason: "\(contrast.positive) vs \(contrast.negative), but config.json has \(direction.positive) vs \(direction.negative)")
            }
        }
    }

    // MARK: - Decoding

    private struct Versioned: Decodable {
        let formatVersion: Int
        enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
    }

    private static func codingPath(_ error: Error) -> String {
        let path: [CodingKey]
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?: path = context.codingPath + [key]
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?: path = context.codingPath
        default: path = []
        }
        return path.isEmpty ? "(document)" : path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound?: return "missing"
        case let .typeMismatch(type, _)?: return "expected \(type)"
        case .valueNotFound?: return "null where a value is needed"
        case let .dataCorrupted(context)?: return context.debugDescription
        default: return "\(error)"
        }
    }
}
