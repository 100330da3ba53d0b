import Foundation

/// `config.json` of a compiled codebook (SPEC §7): what was compiled from what, the directions in
/// order, and the checksums of the other three artifacts. Keys are SPEC's, snake_case.
public struct CodebookConfiguration: Codable, Sendable, Equatable {
    public static let formatVersion = 1
    public static let fileName = "config.json"

    public struct Model: Codable, Sendable, Equatable {
        public var type: String
        public var path: String
        public var sha256: String
        public var numLayers: Int
        public var hiddenSize: Int

        enum CodingKeys: String, CodingKey {
            case type, path, sha256
            case numLayers = "num_layers"
            case hiddenSize = "hidden_size"
        }

        public init(type: String, path: String, sha256: String, numLayers: Int, hiddenSize: Int) {
            self.type = type
            self.path = path
            self.sha256 = sha256
            self.numLayers = numLayers
            self.hiddenSize = hiddenSize
        }
    }

    public struct Perturbation: Codable, Sendable, Equatable {
        public var kind = "icdf"
        public var levels = 64
        public var normalization = "standardize"
        /// The layer the codebook reads (0 = embeddings, `L` = last block).
        public var layer: Int
        public var pooling = "mean"

        public init(layer: Int) { self.layer = layer }
    }

    /// Train-split AUCs of one direction's three scorers.
    public struct TrainAUC: Codable, Sendable, Equatable {
        public var codebook: Double
        public var meanDifference: Double
        public var probe: Double

        enum CodingKeys: String, CodingKey {
            case codebook
            case meanDifference = "mean_difference"
            case probe
        }

        public init(codebook: Double, meanDifference: Double, probe: Double) {
            self.codebook = codebook
            self.meanDifference = meanDifference
            self.probe = probe
        }
    }

    /// One contrast compiled into a direction.
    public struct Direction: Codable, Sendable, Equatable {
        public var name: String
        public var positive: String
        public var negative: String
        /// On the codebook classifier's probability: maximizes Youden's J on the train split.
        public var threshold: Double
        /// On the same probability: the lowest threshold with train FPR ≤ 1%.
        public var thresholdFPR01: Double
        public var silhouette: Double
        /// On the mean-difference score `d·h + bias` (Youden on train).
        public var directionThreshold: Double
        /// On the probe's probability (Youden on train).
        public var probeThreshold: Double
        public var trainAUC: TrainAUC

        enum CodingKeys: String, CodingKey {
            case name, positive, negative, threshold, silhouette
            case thresholdFPR01 = "threshold_fpr01"
            case directionThreshold = "direction_threshold"
            case probeThreshold = "probe_threshold"
            case trainAUC = "train_auc"
        }

        public init(name: String, positive: String, negative: String, threshold: Double, thresholdFPR01: Double,
                    silhouette: Double, directionThreshold: Double, probeThreshold: Double, trainAUC: TrainAUC) {
            self.name = name
            self.positive = positive
            self.negative = negative
            self.threshold = threshold
            self.thresholdFPR01 = thresholdFPR01
            self.silhouette = silhouette
            self.directionThreshold = directionThreshold
            self.probeThreshold = probeThreshold
            self.trainAUC = trainAUC
        }
    }

    /// How the layer was chosen: the mean train AUC of the codebook classifiers at every layer
    /// (ours, beyond SPEC's keys; the report plots it).
    public struct LayerSelection: Codable, Sendable, Equatable {
        public var mode: String  // "auto" or "fixed"
        public var meanTrainAUC: [Double?]

        enum CodingKeys: String, CodingKey {
            case mode
            case meanTrainAUC = "mean_train_auc"
        }

        public init(mode: String, meanTrainAUC: [Double?]) {
            self.mode = mode
            self.meanTrainAUC = meanTrainAUC
        }
    }

    public var formatVersion: Int = Self.formatVersion
    public var model: Model
    public var perturbation: Perturbation
    public var directions: [Direction]
    /// sha256 of `basis.safetensors`, `regions.safetensors` and `splines.json`.
    public var files: [String: String]
    public var catalogSHA256: String
    public var compilerVersion: String
    public var layerSelection: LayerSelection?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, perturbation, directions, files
        case catalogSHA256 = "catalog_sha256"
        case compilerVersion = "compiler_version"
        case layerSelection = "layer_selection"
    }

    public init(model: Model, perturbation: Perturbation, directions: [Direction], files: [String: String],
                catalogSHA256: String, compilerVersion: String, layerSelection: LayerSelection? = nil) {
        self.model = model
        self.perturbation = perturbation
        self.directions = directions
        self.files = files
        self.catalogSHA256 = catalogSHA256
        self.compilerVersion = compilerVersion
        self.layerSelection = layerSelection
    }
}

/// The version of the compiler, recorded in every artifact it writes.
public enum CodebookVersion {
    public static let compiler = "0.1.0"
}
