import CodebookRuntime
import Foundation

/// Which prompts an evaluation reads: the catalog's held-out split, or every prompt (an external set).
public enum EvaluationSplit: String, Sendable, CaseIterable, Codable {
    case heldout
    case all

    /// Whether a prompt with SPEC §5's split code (0 train, 1 heldout) is evaluated.
    public func includes(_ code: UInt8) -> Bool {
        self == .all || code == 1
    }
}

/// The scorers an evaluation measures, with their `eval.json` keys (SPEC §9), in the document's order.
public enum Metric: String, Sendable, CaseIterable, Codable, Hashable {
    /// The codebook classifier on each prompt's perturbation.
    case codebook
    /// The windowed detector (`Codebook.detect`): a prompt's highest window-mean probability.
    case window1 = "window_1"
    case window4 = "window_4"
    case window8 = "window_8"
    case window16 = "window_16"
    /// Every token's classifier probability, labeled with its prompt's class.
    case perToken = "per_token"
    /// The hidden-space mean-difference direction's score on the prompt's mean hidden state.
    case meanDifference = "mean_difference"
    /// The hidden-space probe's probability on the prompt's mean hidden state.
    case probe

    /// The window of a windowed metric.
    public var window: Int? {
        switch self {
        case .window1: return 1
        case .window4: return 4
        case .window8: return 8
        case .window16: return 16
        default: return nil
        }
    }

    public static let windows: [Metric] = [.window1, .window4, .window8, .window16]

    /// A short label for tables and legends.
    public var label: String {
        switch self {
        case .codebook: return "codebook"
        case .window1: return "window 1"
        case .window4: return "window 4"
        case .window8: return "window 8"
        case .window16: return "window 16"
        case .perToken: return "per token"
        case .meanDifference: return "mean difference"
        case .probe: return "probe"
        }
    }
}

/// One number per metric; encoded as an object with every key of `Metric`.
public struct MetricValues: Sendable, Equatable, Codable {
    public private(set) var values: [Double]  // [Metric.allCases.count], in Metric.allCases order

    public init(_ value: (Metric) throws -> Double) rethrows {
        values = try Metric.allCases.map(value)
    }

    public subscript(metric: Metric) -> Double {
        get { values[Metric.allCases.firstIndex(of: metric)!] }
        set { values[Metric.allCases.firstIndex(of: metric)!] = newValue }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        values = try Metric.allCases.map { try container.decode(Double.self, forKey: Key(stringValue: $0.rawValue)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (metric, value) in zip(Metric.allCases, values) { try container.encode(value, forKey: Key(stringValue: metric.rawValue)) }
    }
}

/// `eval.json` (SPEC §9).
public struct EvaluationDocument: Sendable, Equatable, Codable {
    public static let formatVersion = 1

    /// Which codebook was evaluated.
    public struct Artifacts: Sendable, Equatable, Codable {
        /// sha256 of the artifacts' `config.json` bytes (which holds the other files' checksums).
        public var configSHA256: String
        public var layer: Int

        enum CodingKeys: String, CodingKey {
            case configSHA256 = "config_sha256"
            case layer
        }

        public init(configSHA256: String, layer: Int) {
            self.configSHA256 = configSHA256
            self.layer = layer
        }
    }

    /// True and false positive rates at one threshold.
    public struct Rates: Sendable, Equatable, Codable {
        public var tpr: Double
        public var fpr: Double

        public init(tpr: Double, fpr: Double) {
            self.tpr = tpr
            self.fpr = fpr
        }
    }

    /// One contrast's numbers.
    public struct Contrast: Sendable, Equatable, Codable {
        public var name: String
        public var positive: String
        public var negative: String
        /// Prompts of each class on the split.
        public var nPositive: Int
        public var nNegative: Int
        public var auc: MetricValues
        /// The highest TPR among the thresholds with FPR ≤ 1%.
        public var tprAtFPR01: MetricValues
        /// The codebook classifier on prompt perturbations at the stored (Youden) threshold.
        public var atThreshold: Rates

        enum CodingKeys: String, CodingKey {
            case name, positive, negative, auc
            case nPositive = "n_positive"
            case nNegative = "n_negative"
            case tprAtFPR01 = "tpr_at_fpr01"
            case atThreshold = "at_threshold"
        }

        public init(name: String, positive: String, negative: String, nPositive: Int, nNegative: Int,
                    auc: MetricValues, tprAtFPR01: MetricValues, atThreshold: Rates) {
            self.name = name
            self.positive = positive
            self.negative = negative
            self.nPositive = nPositive
            self.nNegative = nNegative
            self.auc = auc
            self.tprAtFPR01 = tprAtFPR01
            self.atThreshold = atThreshold
        }
    }

    public var formatVersion: Int = Self.formatVersion
    public var split: EvaluationSplit
    public var artifacts: Artifacts
    public var contrasts: [Contrast]

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case split, artifacts, contrasts
    }

    public init(split: EvaluationSplit, artifacts: Artifacts, contrasts: [Contrast]) {
        self.split = split
        self.artifacts = artifacts
        self.contrasts = contrasts
    }

    /// The document's bytes: sorted keys and fixed formatting, so the same evaluation gives the same bytes.
    public func encoded() throws -> Data {
        var data = try JSONEncoder.artifact.encode(self)
        data.append(0x0A)
        return data
    }
}

/// Writing outputs so that a crash never leaves a file that looks complete.
enum OutputFile {
    /// Writes every file aside (`.<name>.partial` beside it), then renames them all into place; when any
    /// write fails, removes what it wrote and renamed, so no output is left that looks complete alone.
    static func writeAll(_ outputs: [(data: Data, url: URL)]) throws {
        for (_, url) in outputs { try checkFolder(of: url) }
        func partial(_ url: URL) -> URL { url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial") }
        var written: [URL] = []
        do {
            for (data, url) in outputs {
                do {
                    try data.write(to: partial(url))
                } catch {
                    throw EvaluationError.cannotWrite(path: url.path, reason: FileErrorReason.of(error))
                }
                written.append(url)
            }
            var renamed: [URL] = []
            for (_, url) in outputs {
                guard rename(partial(url).path, url.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    for done in renamed { unlink(done.path) }
                    throw EvaluationError.cannotWrite(path: url.path, reason: reason)
                }
                renamed.append(url)
            }
        } catch {
            for url in written { unlink(partial(url).path) }
            throw error
        }
    }

    /// Refuses an output whose folder does not exist, or that is itself a folder (checked before the
    /// work, so that a report that cannot be written does not leave an eval.json behind; and again
    /// when writing).
    static func checkFolder(of url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw EvaluationError.cannotWrite(path: url.path, reason: "the folder \(folder.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw EvaluationError.cannotWrite(path: url.path, reason: "it is a folder")
        }
    }
}
