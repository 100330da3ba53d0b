import Foundation

/// `config.json` of a compiled codebook (SPEC §7): what was compiled from what, the directions in
/// order, and the checksums of the other three artifacts. Keys are SPEC's, snake_case.
package struct CodebookConfiguration: Codable, Sendable, Equatable {
    package static let formatVersion = 1
    package static let fileName = "config.json"

    package struct Model: Codable, Sendable, Equatable {
        package var type: String
        package var path: String
        package var sha256: String
        package var numLayers: Int
        package var hiddenSize: Int

        enum CodingKeys: String, CodingKey {
            case type, path, sha256
            case numLayers = "num_layers"
            case hiddenSize = "hidden_size"
        }

        package init(type: String, path: String, sha256: String, numLayers: Int, hiddenSize: Int) {
            self.type = type
            self.path = path
            self.sha256 = sha256
            self.numLayers = numLayers
            self.hiddenSize = hiddenSize
        }
    }

    package struct Perturbation: Codable, Sendable, Equatable {
        package var kind = "icdf"
        package var levels = 64
        package var normalization = "standardize"
        /// The layer the codebook reads (0 = embeddings, `L` = last block).
        package var layer: Int
        /// `"mean"`, as SPEC §7 fixes it; for a causal model the mean leaves out the attention sink (SPEC §3),
        /// which follows from `model.type` (`Codebook.pooling`).
        package var pooling = "mean"

        package init(layer: Int) { self.layer = layer }
    }

    /// How one contrast's screen decides (`verdict` in config.json): the scorer that generalized best
    /// in cross-validation grouped by topic on the train split, and its threshold at the target false
    /// positive rate on the out-of-fold scores of the negative class (prompts no fold model was fitted on).
    /// `threshold` is in the scorer's decision units: a logit for `codebook` and `probe`, `d·h + bias`
    /// for `mean_difference`.
    package struct Verdict: Codable, Sendable, Equatable {
        package var scorer: Scorer
        package var threshold: Double
        /// The false positive rate the threshold was calibrated for.
        package var targetFPR: Double
        /// The out-of-fold rates at `threshold` (train split).
        package var crossValidatedTPR: Double
        /// On the contrast's negatives, which the threshold is calibrated on.
        package var crossValidatedFPR: Double
        /// On the background negatives (other conditions' text); `nil` when compiled without them.
        package var crossValidatedBackgroundFPR: Double?

        enum CodingKeys: String, CodingKey {
            case scorer, threshold
            case targetFPR = "target_fpr"
            case crossValidatedTPR = "cv_tpr"
            case crossValidatedFPR = "cv_fpr"
            case crossValidatedBackgroundFPR = "cv_background_fpr"
        }

        package init(scorer: Scorer, threshold: Double, targetFPR: Double, crossValidatedTPR: Double, crossValidatedFPR: Double,
                     crossValidatedBackgroundFPR: Double? = nil) {
            self.scorer = scorer
            self.threshold = threshold
            self.targetFPR = targetFPR
            self.crossValidatedTPR = crossValidatedTPR
            self.crossValidatedFPR = crossValidatedFPR
            self.crossValidatedBackgroundFPR = crossValidatedBackgroundFPR
        }
    }

    /// The two hidden-space scorers' AUCs of one pooling (`selection.pooling_auc`).
    package struct HiddenAUC: Codable, Sendable, Equatable {
        package var meanDifference: Double
        package var probe: Double

        enum CodingKeys: String, CodingKey {
            case meanDifference = "mean_difference"
            case probe
        }

        package init(meanDifference: Double, probe: Double) {
            self.meanDifference = meanDifference
            self.probe = probe
        }
    }

    /// What grouped cross-validation on the train split measured and chose for one contrast (beyond
    /// SPEC's keys): the out-of-fold AUC of each scorer (since 0.5.0 the mean difference's is the scaled
    /// one compile stores), SPEC §6's raw mean difference's AUC at every layer (the best is the
    /// hidden-space layer), and the probe's AUC at each C (the best is its C).
    package struct Selection: Codable, Sendable, Equatable {
        package var folds: Int
        package var auc: ScorerAUC
        /// At the chosen pooling; the raw difference's.
        package var meanDifferenceLayerAUC: [Double]
        /// Per pooling the file had, the out-of-fold AUC of the raw mean difference at its best layer and
        /// of the probe there at its best C (the pooling with the highest of them is the direction's
        /// `hidden_pooling`); `nil` in artifacts compiled before poolings were chosen.
        package var poolingAUC: [String: HiddenAUC]?
        package var probeC: Double
        package var probeCAUC: [String: Double]
        /// How many background negatives (other conditions' train prompts) the probe was fitted against;
        /// `nil` in artifacts compiled before them.
        package var backgroundPrompts: Int?
        /// The multi-layer probe's C and its out-of-fold AUC at each C (on the mean); `nil` without one.
        package var multilayerProbeC: Double?
        package var multilayerProbeCAUC: [String: Double]?
        /// The multi-layer probe's out-of-fold AUC per pooling tried at its C (`mean`, `window_max`),
        /// where windows were tried (since 0.8.0: where they won the one-layer scorers' pooling);
        /// `nil` where only the mean was.
        package var multilayerProbePoolingAUC: [String: Double]?

        enum CodingKeys: String, CodingKey {
            case folds, auc
            case meanDifferenceLayerAUC = "mean_difference_layer_auc"
            case poolingAUC = "pooling_auc"
            case probeC = "probe_c"
            case probeCAUC = "probe_c_auc"
            case backgroundPrompts = "background_prompts"
            case multilayerProbeC = "multilayer_probe_c"
            case multilayerProbeCAUC = "multilayer_probe_c_auc"
            case multilayerProbePoolingAUC = "multilayer_probe_pooling_auc"
        }

        package init(folds: Int, auc: ScorerAUC, meanDifferenceLayerAUC: [Double], poolingAUC: [String: HiddenAUC]?,
                     probeC: Double, probeCAUC: [String: Double], backgroundPrompts: Int? = nil,
                     multilayerProbeC: Double? = nil, multilayerProbeCAUC: [String: Double]? = nil,
                     multilayerProbePoolingAUC: [String: Double]? = nil) {
            self.folds = folds
            self.auc = auc
            self.meanDifferenceLayerAUC = meanDifferenceLayerAUC
            self.poolingAUC = poolingAUC
            self.probeC = probeC
            self.probeCAUC = probeCAUC
            self.backgroundPrompts = backgroundPrompts
            self.multilayerProbeC = multilayerProbeC
            self.multilayerProbeCAUC = multilayerProbeCAUC
            self.multilayerProbePoolingAUC = multilayerProbePoolingAUC
        }
    }

    /// One contrast compiled into a direction.
    package struct Direction: Codable, Sendable, Equatable {
        package var name: String
        package var positive: String
        package var negative: String
        /// On the codebook classifier's probability: maximizes Youden's J on the train split.
        package var threshold: Double
        /// On the same probability: the lowest threshold with train FPR ≤ 1%.
        package var thresholdFPR01: Double
        package var silhouette: Double
        /// On the mean-difference score `d·h + bias` (Youden on train).
        package var directionThreshold: Double
        /// On the probe's probability (Youden on train).
        package var probeThreshold: Double
        /// On the multi-layer probe's probability (Youden on train); `nil` without one.
        package var multilayerProbeThreshold: Double?
        /// How the multi-layer probe reads a prompt: `mean` or `window_max` (since 0.8.0); artifacts
        /// that record none read the `mean`.
        package var multilayerProbePooling: HiddenPooling?
        package var trainAUC: ScorerAUC
        /// How the mean difference and the probe read a prompt (`HiddenPooling`); artifacts compiled
        /// before poolings were chosen have none and read the `mean`.
        package var hiddenPooling: HiddenPooling?
        package var verdict: Verdict
        package var selection: Selection

        enum CodingKeys: String, CodingKey {
            case name, positive, negative, threshold, silhouette, verdict, selection
            case hiddenPooling = "hidden_pooling"
            case thresholdFPR01 = "threshold_fpr01"
            case directionThreshold = "direction_threshold"
            case probeThreshold = "probe_threshold"
            case multilayerProbeThreshold = "multilayer_probe_threshold"
            case multilayerProbePooling = "multilayer_probe_pooling"
            case trainAUC = "train_auc"
        }

        package init(name: String, positive: String, negative: String, threshold: Double, thresholdFPR01: Double,
                    silhouette: Double, directionThreshold: Double, probeThreshold: Double, multilayerProbeThreshold: Double? = nil,
                    multilayerProbePooling: HiddenPooling? = nil,
                    trainAUC: ScorerAUC, hiddenPooling: HiddenPooling?, verdict: Verdict, selection: Selection) {
            self.multilayerProbeThreshold = multilayerProbeThreshold
            self.multilayerProbePooling = multilayerProbePooling
            self.hiddenPooling = hiddenPooling
            self.name = name
            self.positive = positive
            self.negative = negative
            self.threshold = threshold
            self.thresholdFPR01 = thresholdFPR01
            self.silhouette = silhouette
            self.directionThreshold = directionThreshold
            self.probeThreshold = probeThreshold
            self.trainAUC = trainAUC
            self.verdict = verdict
            self.selection = selection
        }
    }

    /// How the layer was chosen: the mean train AUC of the codebook classifiers at every layer
    /// (ours, beyond SPEC's keys; the report plots it).
    package struct LayerSelection: Codable, Sendable, Equatable {
        package var mode: String  // "auto" or "fixed"
        package var meanTrainAUC: [Double?]

        enum CodingKeys: String, CodingKey {
            case mode
            case meanTrainAUC = "mean_train_auc"
        }

        package init(mode: String, meanTrainAUC: [Double?]) {
            self.mode = mode
            self.meanTrainAUC = meanTrainAUC
        }
    }

    package var formatVersion: Int = Self.formatVersion
    package var model: Model
    package var perturbation: Perturbation
    package var directions: [Direction]
    /// sha256 of `basis.safetensors`, `regions.safetensors` and `splines.json`.
    package var files: [String: String]
    package var catalogSHA256: String
    package var compilerVersion: String
    package var layerSelection: LayerSelection?
    /// sha256 of this configuration as the artifact encoder writes it without this key: so an edit of
    /// any value (a threshold, the layer) is refused at load, as an edit of the other three files is
    /// by `files`. `nil` only in memory, before `CodebookWriter` seals it.
    package var contentSHA256: String?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case model, perturbation, directions, files
        case catalogSHA256 = "catalog_sha256"
        case compilerVersion = "compiler_version"
        case layerSelection = "layer_selection"
        case contentSHA256 = "content_sha256"
    }

    package init(model: Model, perturbation: Perturbation, directions: [Direction], files: [String: String],
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
    package func sealed() throws -> (configuration: CodebookConfiguration, bytes: Data) {
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
package enum CodebookVersion {
    /// 0.2.0: compile's numerics are CPU-independent (artifacts differ from 0.1.0's in the last bits),
    /// `config.json` seals its own content (`content_sha256`) and records the model by name.
    /// 0.3.0: each direction records its verdict (scorer and threshold at a target FPR) and what grouped
    /// cross-validation chose (the hidden-space layer, the probe's C).
    /// 0.4.0: each direction records the hidden pooling cross-validation chose (`hidden_pooling`).
    /// 0.5.0: `mean_difference` scales the class-mean difference by the within-class variance.
    /// 0.6.0: the probe is fitted against background negatives too (other conditions' text).
    /// 0.7.0: a multi-layer probe per direction (every layer's mean-pooled state), a verdict candidate.
    /// 0.8.0: the multi-layer probe may read windows (`multilayer_probe_pooling`), choosing its own.
    package static let compiler = "0.8.0"
}

/// One AUC per verdict scorer (`Scorer`, with its keys): a direction's train-split AUCs (`train_auc`),
/// its out-of-fold ones (`selection.auc`), and evaluate's by source (`EvaluationDocument.SourcePair`).
package struct ScorerAUC: Codable, Sendable, Equatable {
    package var codebook: Double
    package var meanDifference: Double
    package var probe: Double
    /// `nil` without a multi-layer probe.
    package var multilayerProbe: Double?

    enum CodingKeys: String, CodingKey {
        case codebook
        case meanDifference = "mean_difference"
        case probe
        case multilayerProbe = "multilayer_probe"
    }

    package init(codebook: Double, meanDifference: Double, probe: Double, multilayerProbe: Double? = nil) {
        self.codebook = codebook
        self.meanDifference = meanDifference
        self.probe = probe
        self.multilayerProbe = multilayerProbe
    }

    /// `value` must give every scorer but the multi-layer probe.
    package init(_ value: (Scorer) throws -> Double?) rethrows {
        self.init(codebook: try value(.codebook)!, meanDifference: try value(.meanDifference)!, probe: try value(.probe)!,
                  multilayerProbe: try value(.multilayerProbe))
    }

    package subscript(scorer: Scorer) -> Double? {
        switch scorer {
        case .codebook: codebook
        case .meanDifference: meanDifference
        case .probe: probe
        case .multilayerProbe: multilayerProbe
        }
    }
}
