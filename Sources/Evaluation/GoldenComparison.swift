import CodebookRuntime
import EvaluationFormat
import Foundation

/// A golden `eval.json` as far as the regression check reads it: the split and each contrast's `auc`.
/// Read loosely (any metric names), so that a metric the golden has and this version does not is a
/// reported drop, not a parse error.
package struct GoldenDocument: Sendable, Equatable {
    package struct Contrast: Sendable, Equatable {
        package var name: String
        /// Metric key → AUC, in the golden's key order sorted (the file's keys are sorted already).
        package var auc: [(metric: String, value: Double)]

        package static func == (a: Self, b: Self) -> Bool {
            a.name == b.name && a.auc.map(\.metric) == b.auc.map(\.metric) && a.auc.map(\.value) == b.auc.map(\.value)
        }
    }

    package var split: String
    package var contrasts: [Contrast]

    package init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EvaluationError.badGolden(path: url.path, reason: "cannot read (\(FileErrorReason.of(error)))")
        }
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: data)
        } catch {
            throw EvaluationError.badGolden(path: url.path, reason: "not an eval.json (\(Self.describe(error)))")
        }
        guard raw.format_version == EvaluationDocument.formatVersion else {
            throw EvaluationError.badGolden(path: url.path, reason: "format_version \(raw.format_version) is not known (this version reads \(EvaluationDocument.formatVersion))")
        }
        var seen = Set<String>()
        for contrast in raw.contrasts where !seen.insert(contrast.name).inserted {
            throw EvaluationError.badGolden(path: url.path, reason: "contrast \(contrast.name) appears twice")
        }
        split = raw.split
        contrasts = raw.contrasts.map { Contrast(name: $0.name, auc: $0.auc.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) }
    }

    private struct Raw: Decodable {
        struct Contrast: Decodable {
            let name: String
            let auc: [String: Double]
        }
        let format_version: Int
        let split: String
        let contrasts: [Contrast]
    }

    /// `contrasts[0].auc.codebook`.
    private static func path(_ keys: [CodingKey]) -> String {
        keys.reduce("") { path, key in
            key.intValue.map { "\(path)[\($0)]" } ?? (path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?:
            return "missing key \(path(context.codingPath + [key]))"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?, let .dataCorrupted(context)?:
            return context.codingPath.isEmpty ? context.debugDescription : "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

/// An AUC more than the tolerance below its golden value, or missing from this evaluation.
package struct GoldenDrop: Sendable, Equatable {
    package var contrast: String
    package var metric: String
    package var golden: Double
    /// `nil` when this evaluation has no such contrast or metric.
    package var now: Double?

    package var drop: Double? { now.map { golden - $0 } }

    package init(contrast: String, metric: String, golden: Double, now: Double?) {
        self.contrast = contrast
        self.metric = metric
        self.golden = golden
        self.now = now
    }
}

/// The regression check of `evaluate --golden` (SPEC §9): only `auc` is compared.
package enum GoldenComparison {
    /// Every golden AUC that this evaluation misses or undercuts by more than `tolerance`, in the
    /// golden's order.
    package static func drops(_ current: EvaluationDocument, golden: GoldenDocument, tolerance: Double) -> [GoldenDrop] {
        var drops: [GoldenDrop] = []
        for contrast in golden.contrasts {
            let entry = current.contrasts.first { $0.name == contrast.name }
            for (key, value) in contrast.auc {
                let now = entry.flatMap { entry in Metric(rawValue: key).flatMap { entry.auc[$0] } }
                // Passing needs `golden − now ≤ tolerance`: a comparison that is not a number never passes.
                if let now, value - now <= tolerance { continue }
                drops.append(GoldenDrop(contrast: contrast.name, metric: key, golden: value, now: now))
            }
        }
        return drops
    }

    /// A fixed-width table of the drops: contrast, metric, golden, now, drop.
    package static func table(_ drops: [GoldenDrop]) -> String {
        let header = ["contrast", "metric", "golden", "now", "drop"]
        let rows = drops.map { d in
            [d.contrast, d.metric, format(d.golden), d.now.map(format) ?? "missing", d.drop.map(format) ?? "-"]
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c < 2 ? cell + pad : pad + cell  // names left, numbers right
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }

    private static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}
