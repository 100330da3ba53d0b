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
    /// sha256 of this configuration as the artifact encoder writes it without this key: so an edit of
    /// any value (a threshold, the layer) is refused at load, as an edit of the other three files is
    /// by `files`. `nil` only in memory, before `CodebookWriter` seals it.
    public var contentSHA256: String?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, perturbation, directions, files
        case catalogSHA256 = "catalog_sha256"
        case compilerVersion = "compiler_version"
        case layerSelection = "layer_selection"
        case contentSHA256 = "content_sha256"
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

    /// The bytes of `config.json`, sealed: the artifact encoding of this configuration without
    /// `content_sha256` (it starts `{` and a newline), with the line `  "content_sha256" : "<hex>",`
    /// inserted right after that brace, `<hex>` being the sha256 of the unsealed bytes. So the seal is
    /// checked on the bytes themselves (`Seal.verify`), by any language, with no re-encoding.
    public func sealed() throws -> (configuration: CodebookConfiguration, bytes: Data) {
        var unsealed = self
        unsealed.contentSHA256 = nil
        let unsealedBytes = try JSONEncoder.artifact.encode(unsealed)
        var sealed = self
        sealed.contentSHA256 = SHA256.hex(SHA256.hash(unsealedBytes))
        return (sealed, Self.seal(unsealed: unsealedBytes))
    }

    /// Seals JSON bytes that start with `{` and a newline and hold no `content_sha256` (a forger's tool:
    /// the tests use it to reach the checks behind the seal after editing a `config.json` by hand).
    package static func seal(unsealed bytes: Data) -> Data {
        precondition(bytes.starts(with: Seal.prefix), "seal: the JSON must start with {\\n")
        return Seal.prefix + Data(Seal.line(SHA256.hex(SHA256.hash(bytes))).utf8) + bytes.dropFirst(Seal.prefix.count)
    }

    /// `seal(unsealed:)` of a JSON object: `content_sha256` dropped, sorted keys, pretty-printed.
    package static func seal(object: [String: Any]) throws -> Data {
        var object = object
        object["content_sha256"] = nil
        return seal(unsealed: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted]))
    }

    /// The seal of `config.json`'s bytes (see `sealed()`).
    enum Seal {
        static let prefix = Data("{\n".utf8)
        static func line(_ digest: String) -> String { "  \"content_sha256\" : \"\(digest)\",\n" }

        /// The digest the bytes carry, after checking that the rest hashes to it. `nil` when the
        /// bytes carry no seal line; throws `editedConfiguration` when they do not hash to it.
        static func verify(_ bytes: Data, file: String) throws -> String? {
            let head = line(String(repeating: "0", count: 64))
            guard bytes.count > prefix.count + head.utf8.count, bytes.starts(with: prefix) else { return nil }
            let lineBytes = bytes.dropFirst(prefix.count).prefix(head.utf8.count)
            let text = String(decoding: lineBytes, as: UTF8.self)
            let digest = String(text.dropFirst(line("").utf8.count - 3).prefix(64))  // between the quotes
            guard text == line(digest), digest.allSatisfy({ "0123456789abcdef".contains($0) }) else { return nil }
            let actual = SHA256.hex(SHA256.hash(prefix + bytes.dropFirst(prefix.count + head.utf8.count)))
            guard actual == digest else { throw CodebookRuntimeError.editedConfiguration(file: file, expected: digest, actual: actual) }
            return digest
        }
    }
}

/// The version of the compiler, recorded in every artifact it writes.
public enum CodebookVersion {
    /// 0.2.0: compile's numerics are CPU-independent (artifacts differ from 0.1.0's in the last bits),
    /// `config.json` seals its own content (`content_sha256`) and records the model by name.
    public static let compiler = "0.2.0"
}
