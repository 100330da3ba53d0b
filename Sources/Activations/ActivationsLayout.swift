import CodebookRuntime
import Foundation

/// The names SPEC §5 fixes for the activations file, in one place for the writer and the reader.
public enum ActivationsLayout {
    public static let format = "codebook-activations"
    public static let formatVersion = 1
    /// The ICDF perturbation's levels (SPEC §4).
    public static let levels = 64
    /// Per-condition groups live under this group: `/conditions/<condition>/`.
    public static let conditionsGroup = "conditions"

    /// The datasets of one condition's group.
    public enum Dataset: String, CaseIterable, Sendable {
        case ids, split
        case tokenOffsets = "token_offsets"
        case tokenIDs = "token_ids"
        case truncated
        case tokenPerturbations = "token_perturbations"
        case promptPerturbations = "prompt_perturbations"
        case hiddenMean = "hidden_mean"
        case hiddenLast = "hidden_last"
        /// The other hidden poolings compile chooses among (issue #14; `PromptStates.features`), every
        /// layer. Absent from files extracted before them; `hidden_mean_all_tokens` also for a model
        /// without an attention sink, where it would be `hidden_mean`.
        case hiddenMeanAllTokens = "hidden_mean_all_tokens"
        case hiddenLastToken = "hidden_last_token"
        case windowOffsets = "window_offsets"
        case hiddenWindows = "hidden_windows"
    }

    /// Root attributes. The first group is SPEC §5's; the rest are ours: what compile needs to
    /// run from the file alone (the contrasts) and to merge shard files back into catalog order.
    public enum Attribute: String, CaseIterable, Sendable {
        case format, formatVersion = "format_version", modelType = "model_type", modelPath = "model_path"
        case modelSHA256 = "model_sha256", numLayers = "num_layers", hiddenSize = "hidden_size", levels
        case maxTokens = "max_tokens", catalogSHA256 = "catalog_sha256"
        case contrasts, conditions, shardIndex = "shard_index", shardCount = "shard_count"
        /// How `prompt_perturbations` and `hidden_mean` pool a prompt's content tokens: `"mean"` (all of
        /// them) or `"mean_without_sink"` (all but the first when there are two or more: SPEC §3's
        /// attention sink, for `llama`). Files written before it existed have none: they pooled every
        /// token, which is still right for `bert` and no longer for `llama` (refused with a hint).
        case pooling
    }

    /// The `pooling` values, and the one each model type must have (the runtime's rule).
    public static let poolings = Pooling.allCases.map(\.rawValue)
    public static func requiredPooling(modelType: String) -> String { Pooling.of(modelType: modelType).rawValue }
}

/// A contrast of the catalog: its name and its two conditions, positive first (SPEC §2).
public struct Contrast: Codable, Sendable, Equatable, Hashable {
    public let name: String
    public let positive: String
    public let negative: String

    public init(name: String, positive: String, negative: String) {
        self.name = name
        self.positive = positive
        self.negative = negative
    }
}

/// What an activations file says about itself: its root attributes.
public struct ActivationsHeader: Sendable, Equatable {
    public var modelType: String
    public var modelPath: String
    public var modelSHA256: String
    /// `L + 1`: the embedding output and every block's output.
    public var numLayers: Int
    public var hiddenSize: Int
    public var levels: Int = ActivationsLayout.levels
    public var maxTokens: Int
    public var catalogSHA256: String
    /// The catalog's contrasts, so compile needs nothing but the activations file.
    public var contrasts: [Contrast]
    /// The conditions in catalog order (HDF5 lists groups by name; this keeps the catalog's order).
    public var conditions: [String]
    /// Which deterministic 1/n of every condition this file holds: prompt `j` of a condition
    /// (0-based, catalog order) belongs to shard `j % shardCount`.
    public var shardIndex: Int = 0
    public var shardCount: Int = 1
    /// The `pooling` attribute (see `ActivationsLayout.Attribute.pooling`).
    public var pooling: String

    public init(modelType: String, modelPath: String, modelSHA256: String, numLayers: Int, hiddenSize: Int,
                maxTokens: Int, catalogSHA256: String, contrasts: [Contrast], conditions: [String],
                shardIndex: Int = 0, shardCount: Int = 1, pooling: String? = nil) {
        self.pooling = pooling ?? ActivationsLayout.requiredPooling(modelType: modelType)
        self.modelType = modelType
        self.modelPath = modelPath
        self.modelSHA256 = modelSHA256
        self.numLayers = numLayers
        self.hiddenSize = hiddenSize
        self.maxTokens = maxTokens
        self.catalogSHA256 = catalogSHA256
        self.contrasts = contrasts
        self.conditions = conditions
        self.shardIndex = shardIndex
        self.shardCount = shardCount
    }
}

/// The activations of consecutive prompts of one condition, laid out as SPEC §5's datasets
/// (`n` prompts, `t` content tokens in all, `layers = L + 1`, `levels = 64`, `d` = hidden size).
public struct ConditionBatch: Sendable, Equatable {
    public var ids: [String] = []
    /// 0 train, 1 heldout.
    public var splits: [UInt8] = []
    /// Content tokens of each prompt: prompt `i` owns the next `tokenCounts[i]` token rows.
    public var tokenCounts: [Int] = []
    public var truncated: [UInt8] = []
    public var tokenIDs: [Int32] = []            // [t]
    public var tokenPerturbations: [Float] = []  // [t, layers, levels]
    public var promptPerturbations: [Float] = [] // [n, layers, levels]
    public var hiddenMean: [Float] = []          // [n, layers, d]
    public var hiddenLast: [Float] = []          // [n, d]
    /// The other hidden poolings (issue #14), all empty in a batch without them: the mean over every
    /// content token (empty too for a model without an attention sink), the last content token, and
    /// each window's mean (prompt `i` owns the next `windowCounts[i]` window rows).
    public var hiddenMeanAllTokens: [Float] = [] // [n, layers, d]
    public var hiddenLastToken: [Float] = []     // [n, layers, d]
    public var windowCounts: [Int] = []          // [n]
    public var hiddenWindows: [Float] = []       // [w, layers, d]

    public init() {}

    public var promptCount: Int { ids.count }
    public var tokenCount: Int { tokenIDs.count }
    public var windowCount: Int { windowCounts.reduce(0, +) }

    /// Checks that every array has the length its shape asks for. `poolings`: whether the other hidden
    /// poolings must be there (else they must be empty); `sink`: whether the model has an attention
    /// sink, so `hiddenMeanAllTokens` is filled.
    public func validate(layers: Int, hiddenSize: Int, levels: Int = ActivationsLayout.levels,
                         poolings: Bool = false, sink: Bool = false) throws {
        let n = ids.count, t = tokenCounts.reduce(0, +), w = windowCount
        let row = layers * hiddenSize
        var expected: [(String, Int, Int)] = [
            ("split", splits.count, n), ("truncated", truncated.count, n), ("token counts", tokenCounts.count, n),
            ("token_ids", tokenIDs.count, t),
            ("token_perturbations", tokenPerturbations.count, t * layers * levels),
            ("prompt_perturbations", promptPerturbations.count, n * layers * levels),
            ("hidden_mean", hiddenMean.count, n * row),
            ("hidden_last", hiddenLast.count, n * hiddenSize),
            ("hidden_mean_all_tokens", hiddenMeanAllTokens.count, poolings && sink ? n * row : 0),
            ("hidden_last_token", hiddenLastToken.count, poolings ? n * row : 0),
            ("window counts", windowCounts.count, poolings ? n : 0),
            ("hidden_windows", hiddenWindows.count, w * row),
        ]
        // Every prompt has a window (`Pooling.windows`): a count of 0 would be a prompt without one.
        if let bad = windowCounts.first(where: { $0 < 1 }) { expected.append(("window counts (each ≥ 1)", bad, 1)) }
        for (name, actual, wanted) in expected where actual != wanted {
            throw ActivationsError.inconsistentBatch(field: name, expected: wanted, actual: actual)
        }
    }
}
