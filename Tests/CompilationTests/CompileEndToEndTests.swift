import Activations
import CodebookRuntime
import Compilation
import Foundation
import Testing
import TestSupport

/// The reference of `scripts/fixtures/make_compile.py`: what NumPy, SciPy and scikit-learn compute from
/// `Tests/Fixtures/compile/activations.h5`, unrounded (the artifacts store F32; the tests round).
struct CompileReference: Decodable {
    struct Spline: Decodable {
        let knots: [Double]
        let values: [Double]
        let slopes: [Double]
        let epsilon: Double
    }
    struct Splines: Decodable { let z: [Spline]; let sum: Spline }
    struct Rates: Decodable { let tpr: Double; let fpr: Double }
    struct Contrast: Decodable {
        let name: String
        let positive: String
        let negative: String
        let n_positive: Int
        let n_negative: Int
        let classifier_weights: [Double]
        let classifier_bias: Double
        /// `(sum, u, v)` of the train prompts, positives then negatives: `[n, 3]`.
        let train_points: [Double]
        /// σ(w·x + b) with the F32-rounded classifier, same order.
        let train_probabilities: [Double]
        let train_auc: Double
        let threshold: Double
        let threshold_fpr01: Double
        let rates_at_threshold: Rates
        let centroids: [[Double]]
        let scale: [Double]
        let cohen_d: [Double]
        let silhouette: Double
    }
    struct Layer: Decodable {
        let layer: Int
        let mean: [Double]
        let basis: [Double]
        let singular_values: [Double]
        let splines: Splines
        let population_mean: [Double]
        let population_std: [Double]
        let contrasts: [Contrast]
    }
    struct Probe: Decodable {
        let weights: [Double]
        let bias: Double
        let mean: [Double]
        let std: [Double]
        let threshold: Double
        let rates_at_threshold: Rates
        let train_auc: Double
        let train_probabilities: [Double]
    }
    struct Direction: Decodable {
        let name: String
        let layer: Int
        let layer_aucs: [Double]
        let vector: [Double]
        let bias: Double
        let threshold: Double
        let rates_at_threshold: Rates
        let train_auc: Double
        let train_scores: [Double]
        let probe: Probe
        let selection: Selection
        let verdict: Verdict
    }
    /// What grouped cross-validation chose, from sklearn's fits on the same folds.
    struct Selection: Decodable {
        let folds: Int
        let auc: [String: Double]
        let probe_c: Double
        let background_prompts: Int
    }
    struct Verdict: Decodable {
        let scorer: String
        let threshold: Double
        let cv_tpr: Double
        let cv_fpr: Double
        let cv_background_fpr: Double
    }
    struct Header: Decodable {
        let model_type: String
        let model_path: String
        let model_sha256: String
        let num_layers: Int
        let hidden_size: Int
        let catalog_sha256: String
    }

    let header: Header
    let train_counts: [String: Int]
    let mean_train_auc: [Double]
    let auto: Layer
    let fixed: Layer
    let directions: [Direction]

    static func load() throws -> CompileReference {
        try JSONDecoder().decode(CompileReference.self, from: Data(contentsOf: Fixtures.url("compile/reference.json")))
    }
}

/// Compile (SPEC §6–§7) end to end on a small synthetic extraction, against the Python reference; the
/// artifacts' layout and determinism; and the runtime (`Codebook.load`, `score`) against compile.
///
/// Tolerances follow from where the two implementations can differ:
/// - every F32 artifact value is within 1 float32 ulp of the reference rounded to float32: both sides
///   compute the unrounded value to ~1e-13 relative or better (different summation orders, LAPACK builds,
///   solvers converged to ~1e-12), so rounding to float32 (relative step 6e-8) gives the same float
///   except when the exact value sits within ~1e-13 of a rounding boundary, where it may land 1 ulp away;
/// - everything downstream of the F32 parameters (z, knots, probabilities, thresholds, AUCs) is computed
///   on both sides with the same operations in the same order, so it is compared exactly or at 1e-12
///   where SciPy's and our PCHIP evaluation (or scikit-learn's silhouette) may round differently.
@Suite struct CompileEndToEndTests {
    static let activations = Fixtures.url("compile/activations.h5")
    static let committedArtifacts = Fixtures.url("compile/artifacts")

    private func compile(_ layer: LayerChoice) throws -> (directory: URL, summary: CompileSummary) {
        let directory = try Fixtures.temporaryDirectory("compile-e2e")
        let summary = try CodebookCompiler.run(CompileRequest(activations: [Self.activations], output: directory, layer: layer))
        return (directory, summary)
    }

    /// `--pooling` fixes the hidden-space scorers' pooling; one the activations do not store is refused.
    @Test func poolingCanBeFixed() throws {
        let directory = try Fixtures.temporaryDirectory("compile-pooling")
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = CompileRequest(activations: [Self.activations], output: directory, layer: .auto)
        request.pooling = .lastToken
        let summary = try CodebookCompiler.run(request)
        for direction in summary.codebook.configuration.directions {
            #expect(direction.hiddenPooling == .lastToken)
            #expect(direction.selection.poolingAUC.map { Array($0.keys) } == ["last_token"])
        }
        let loaded = try Codebook.load(directory)
        #expect(loaded.directions.allSatisfy { $0.meanDifference.pooling == .lastToken && $0.probe.pooling == .lastToken })

        request.pooling = .meanAllTokens  // a bert extraction has no attention sink to leave out
        #expect { try CodebookCompiler.run(request) } throws: { "\($0)".contains("mean_all_tokens") && "\($0)".contains("do not store") }
    }

    /// The background negatives: every m-th train prompt of each of the m conditions outside a contrast
    /// (the reference checks which, through their count and scores). Fitted against them, the probe
    /// flags fewer of the other conditions' held-out prompts, which it never saw, at a threshold that
    /// flags 1% of the contrast's own held-out negatives. `--no-background` fits as before.
    @Test func probeLearnsNotToFlagOtherConditions() throws {
        let directory = try Fixtures.temporaryDirectory("compile-background")
        defer { try? FileManager.default.removeItem(at: directory) }
        var request = CompileRequest(activations: [Self.activations], output: directory, layer: .auto)
        let with = try CodebookCompiler.run(request).codebook
        request.background = false
        let without = try CodebookCompiler.run(request).codebook

        let set = try ActivationsSet(url: Self.activations)
        let conditions = set.header.conditions
        var flagged = (with: 0, without: 0), scored = 0
        for (index, contrast) in set.header.contrasts.enumerated() {
            #expect(without.configuration.directions[index].selection.backgroundPrompts == nil)
            let others = conditions.filter { $0 != contrast.positive && $0 != contrast.negative }
            let trainCounts = try others.map { name in try set.condition(name).index.splits.filter { $0 == 0 }.count }
            let expected = trainCounts.map { ($0 + others.count - 1) / others.count }.reduce(0, +)  // positions 0, m, 2m, …
            #expect(with.configuration.directions[index].selection.backgroundPrompts == expected, "\(contrast.name)")

            func heldOutScores(_ codebook: Codebook, _ names: [String]) throws -> [Double] {
                let probe = codebook.directions[index].probe
                return try names.flatMap { name in
                    let condition = try set.condition(name)
                    return (0..<condition.count).filter { condition.index.splits[$0] == 1 }.map { row in
                        probe.decision(bag: condition.hidden(row, layer: probe.layer, pooling: probe.pooling)).value
                    }
                }
            }
            func flaggedOthers(_ codebook: Codebook) throws -> (flagged: Int, of: Int) {
                let negatives = try heldOutScores(codebook, [contrast.negative]).sorted()
                let threshold = negatives[Int((0.99 * Double(negatives.count)).rounded(.up)) - 1]
                let scores = try heldOutScores(codebook, others)
                return (scores.filter { $0 > threshold }.count, scores.count)
            }
            let onWith = try flaggedOthers(with), onWithout = try flaggedOthers(without)
            flagged.with += onWith.flagged
            flagged.without += onWithout.flagged
            scored += onWithout.of
        }
        // 4 against 12 of 49 here; a margin no solver difference (~1e-9 in the weights) can close.
        #expect(scored > 0 && flagged.with * 2 <= flagged.without, "flagged \(flagged) of \(scored) held-out prompts of other conditions")
    }

    // MARK: - Against the reference

    @Test func autoLayerMatchesReference() throws {
        let reference = try CompileReference.load()
        let (directory, summary) = try compile(.auto)
        defer { try? FileManager.default.removeItem(at: directory) }
        let codebook = try Codebook.load(directory)
        // Compile read every condition's train prompts (the basis below shows they all entered the population).
        #expect(summary.trainPrompts == reference.train_counts.values.reduce(0, +))

        // Layer choice: every layer's mean train AUC, exactly (exact Mann–Whitney fractions averaged in
        // the same order), and the argmax. The fixture's layers differ by > 0.01, so this is no tie.
        let selection = try #require(codebook.configuration.layerSelection)
        #expect(selection.mode == "auto")
        #expect(selection.meanTrainAUC == reference.mean_train_auc.map { Optional($0) })
        #expect(codebook.layer == reference.auto.layer)
        #expect(codebook.layer == reference.mean_train_auc.indices.max { reference.mean_train_auc[$0] < reference.mean_train_auc[$1] })
        try expectLayer(codebook, matches: reference.auto)
        try expectDirections(codebook, match: reference.directions)
    }

    /// `--layer N` with N not the layer auto picks: the codebook is fitted there, the directions are the
    /// same (they choose their own layers), and only N's mean AUC is recorded.
    @Test func fixedLayerMatchesReference() throws {
        let reference = try CompileReference.load()
        #expect(reference.fixed.layer != reference.auto.layer)
        let (directory, _) = try compile(.fixed(reference.fixed.layer))
        defer { try? FileManager.default.removeItem(at: directory) }
        let codebook = try Codebook.load(directory)

        let selection = try #require(codebook.configuration.layerSelection)
        #expect(selection.mode == "fixed")
        var recorded = [Double?](repeating: nil, count: reference.header.num_layers)
        recorded[reference.fixed.layer] = reference.mean_train_auc[reference.fixed.layer]
        #expect(selection.meanTrainAUC == recorded)
        #expect(codebook.layer == reference.fixed.layer)
        try expectLayer(codebook, matches: reference.fixed)
        try expectDirections(codebook, match: reference.directions)
    }

    @Test func layerOutOfRangeIsRefused() throws {
        let reference = try CompileReference.load()
        let layers = reference.header.num_layers
        let directory = try Fixtures.temporaryDirectory("compile-e2e")
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: CompilationError.self) {
            try CodebookCompiler.run(CompileRequest(activations: [Self.activations], output: directory, layer: .fixed(layers)))
        }
        #expect(error?.description.contains("--layer") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path))
    }

    /// Basis, splines, profiles, classifiers and thresholds at one layer.
    private func expectLayer(_ codebook: Codebook, matches reference: CompileReference.Layer) throws {
        // Basis: V3's signs are SPEC's (largest-magnitude component positive), so the vectors compare
        // directly; 1 ulp as explained above (the fixture's σ3/σ4 ≥ 1.29 keeps V3 well conditioned).
        expectFloat32(codebook.basis.components, reference.basis, "basis")
        expectFloat32(codebook.basis.mean, reference.mean, "mean")
        for i in 0..<3 {
            let row = Array(codebook.basis.components[(i * 64)..<((i + 1) * 64)])
            let largest = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
            #expect(row[largest] > 0, "basis row \(i): its largest-magnitude component is negative")
        }
        // Singular values: a token's perturbation is a linear function of its 12 sorted standardized
        // values, which sum to 0, so the centered population has rank ≤ 11 in exact arithmetic; the
        // other singular values are the float32 storage noise of the perturbations (~1e-8·σ₁), which
        // two backward-stable SVDs reproduce only to ~64·ε·σ₁ absolute, far above their float32 ulp.
        #expect(codebook.singularValues.count == reference.singular_values.count)
        expectFloat32(Array(codebook.singularValues.prefix(11)), Array(reference.singular_values.prefix(11)), "singular values 1…11")
        let sigma1 = reference.singular_values[0]
        for (i, (actual, expected)) in zip(codebook.singularValues, reference.singular_values).enumerated().dropFirst(11) {
            #expect(abs(actual - expected) <= 64 * Double.ulpOfOne * sigma1 + Double(Float(expected).ulp),
                    "singular value \(i + 1): \(actual) vs \(expected)")
        }

        // Splines: z comes from the same F32 basis with the same accumulation order, so the marginal
        // knots and slopes are bit-identical; F_sum is fitted on s = ΣF_i(z_i), where SciPy's PPoly and our
        // evaluation may differ in the last bit or two: 1e-12 relative, far below any effect on scores.
        let splines = codebook.decomposition.marginals + [codebook.decomposition.sum]
        let expectedSplines = reference.splines.z + [reference.splines.sum]
        for (index, (actual, expected)) in zip(splines, expectedSplines).enumerated() {
            let what = index < 3 ? "z[\(index)]" : "sum"
            #expect(actual.values == expected.values, "\(what) values")
            #expect(actual.epsilon == expected.epsilon, "\(what) epsilon")
            expectClose(actual.knots, expected.knots, 1e-12, "\(what) knots")
            expectClose(actual.slopes, expected.slopes, 1e-12, "\(what) slopes")
        }

        expectFloat32([codebook.populationMean.x, codebook.populationMean.y, codebook.populationMean.z], reference.population_mean, "population_mean")
        expectFloat32([codebook.populationStd.x, codebook.populationStd.y, codebook.populationStd.z], reference.population_std, "population_std")

        #expect(codebook.directions.map(\.name) == reference.contrasts.map(\.name))
        for (direction, expected) in zip(codebook.directions, reference.contrasts) {
            let entry = try #require(codebook.configuration.directions.first { $0.name == expected.name })
            #expect(direction.positive == expected.positive && direction.negative == expected.negative)
            expectFloat32(direction.classifier.weights + [direction.classifier.bias],
                          expected.classifier_weights + [expected.classifier_bias], "\(expected.name) classifier")
            expectFloat32(vector(direction.centroids.positive) + vector(direction.centroids.negative),
                          expected.centroids.flatMap { $0 }, "\(expected.name) centroids")
            expectFloat32(vector(direction.scale), expected.scale, "\(expected.name) scale")
            expectFloat32(vector(direction.cohenD), expected.cohen_d, "\(expected.name) cohen_d")
            // sklearn's silhouette expands |x−y|² = |x|² − 2x·y + |y|², we sum (x−y)² directly: for points
            // in [0, 1]³ at distances ≳ 1e-3 that is ~1e-13 relative; 1e-10 leaves room.
            #expect(abs(entry.silhouette - expected.silhouette) <= 1e-10, "\(expected.name) silhouette \(entry.silhouette) vs \(expected.silhouette)")
            // The train AUC is an exact fraction of the same ranking on both sides.
            #expect(entry.trainAUC.codebook == expected.train_auc, "\(expected.name) train AUC")
            // Thresholds are train probabilities σ(w·x + b) of equal F32 parameters on points equal to
            // ~1e-15: 1e-12 (measured: equal).
            #expect(abs(entry.threshold - expected.threshold) <= 1e-12, "\(expected.name) threshold \(entry.threshold) vs \(expected.threshold)")
            #expect(abs(entry.thresholdFPR01 - expected.threshold_fpr01) <= 1e-12,
                    "\(expected.name) threshold_fpr01 \(entry.thresholdFPR01) vs \(expected.threshold_fpr01)")
            #expect(direction.threshold == entry.threshold && direction.thresholdFPR01 == entry.thresholdFPR01)
        }
    }

    /// `mean_difference` and `probe` per contrast: layer, F32 parameters, thresholds and train AUCs.
    private func expectDirections(_ codebook: Codebook, match reference: [CompileReference.Direction]) throws {
        for (direction, expected) in zip(codebook.directions, reference) {
            let entry = try #require(codebook.configuration.directions.first { $0.name == expected.name })
            #expect(direction.name == expected.name)
            #expect(direction.meanDifference.layer == expected.layer, "\(expected.name) direction layer")
            #expect(direction.probe.layer == expected.layer, "\(expected.name) probe layer")
            expectFloat32(direction.meanDifference.weights + [direction.meanDifference.bias], expected.vector + [expected.bias],
                          "\(expected.name) direction")
            expectFloat32(direction.probe.weights + [direction.probe.bias], expected.probe.weights + [expected.probe.bias],
                          "\(expected.name) probe")
            expectFloat32(direction.probe.mean ?? [], expected.probe.mean, "\(expected.name) probe_mean")
            expectFloat32(direction.probe.std ?? [], expected.probe.std, "\(expected.name) probe_std")
            // Scores and probabilities are b + Σ w_i·x_i in the same order from the same F32 values and the
            // same float32 hidden states (and libm's exp): thresholds and AUCs are exact.
            #expect(entry.directionThreshold == expected.threshold, "\(expected.name) direction_threshold")
            #expect(entry.probeThreshold == expected.probe.threshold, "\(expected.name) probe_threshold")
            #expect(entry.trainAUC.meanDifference == expected.train_auc, "\(expected.name) mean-difference train AUC")
            #expect(entry.trainAUC.probe == expected.probe.train_auc, "\(expected.name) probe train AUC")
            #expect(entry.selection.folds == expected.selection.folds && entry.selection.probeC == expected.selection.probe_c,
                    "\(expected.name): folds \(entry.selection.folds), probe C \(entry.selection.probeC)")
            #expect(entry.selection.meanDifferenceLayerAUC == expected.layer_aucs, "\(expected.name) out-of-fold AUC per layer")
        }
    }

    /// The verdict (auto layer): the scorer with the best out-of-fold AUC, its threshold at 1% out-of-fold
    /// FPR. Out-of-fold scores come from sklearn's fits in the reference and from our Newton solver here,
    /// which agree to ~1e-9 (LogisticRegressionTests), so AUCs and the threshold are compared to 1e-6.
    @Test func verdictsMatchTheReference() throws {
        let reference = try CompileReference.load()
        let (directory, summary) = try compile(.auto)
        defer { try? FileManager.default.removeItem(at: directory) }
        let codebook = summary.codebook
        for (entry, expected) in zip(codebook.configuration.directions, reference.directions) {
            #expect(entry.verdict.scorer.rawValue == expected.verdict.scorer, "\(entry.name)")
            #expect(abs(entry.verdict.threshold - expected.verdict.threshold) <= 1e-6 * max(1, abs(expected.verdict.threshold)), "\(entry.name)")
            #expect(entry.verdict.crossValidatedTPR == expected.verdict.cv_tpr && entry.verdict.crossValidatedFPR == expected.verdict.cv_fpr)
            #expect(entry.verdict.crossValidatedBackgroundFPR == expected.verdict.cv_background_fpr, "\(entry.name)")
            #expect(entry.selection.backgroundPrompts == expected.selection.background_prompts, "\(entry.name)")
            #expect(entry.verdict.crossValidatedFPR <= 0.01 && entry.verdict.targetFPR == 0.01)
            for (name, auc) in [("codebook", entry.selection.auc.codebook), ("mean_difference", entry.selection.auc.meanDifference),
                                ("probe", entry.selection.auc.probe)] {
                #expect(abs(auc - expected.selection.auc[name]!) <= 1e-6, "\(entry.name) \(name)")
            }
            let direction = try #require(codebook.directions.first { $0.name == entry.name })
            #expect(direction.verdict == VerdictRule(scorer: entry.verdict.scorer, threshold: entry.verdict.threshold))
        }
    }

    // MARK: - Artifacts

    /// config.json read as a plain JSON dictionary: SPEC §7's keys, types and values.
    @Test func configurationHasSPECKeys() throws {
        let reference = try CompileReference.load()
        let (directory, _) = try compile(.auto)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("config.json"))) as? [String: Any])

        let specKeys: Set = ["format_version", "model", "perturbation", "directions", "files", "catalog_sha256", "compiler_version"]
        #expect(specKeys.isSubset(of: config.keys), "missing \(specKeys.subtracting(config.keys))")
        // Beyond SPEC: only the per-layer mean train AUCs of the layer choice.
        #expect(Set(config.keys).subtracting(specKeys) == ["layer_selection", "content_sha256"])
        #expect(config["format_version"] as? Int == 1)
        #expect((config["compiler_version"] as? String).map { !$0.isEmpty } == true)
        #expect(config["catalog_sha256"] as? String == reference.header.catalog_sha256)

        let model = try #require(config["model"] as? [String: Any])
        #expect(Set(model.keys) == ["type", "path", "sha256", "num_layers", "hidden_size"])
        #expect(model["type"] as? String == reference.header.model_type)
        // The model's name, not the path extract was given (the same model elsewhere, the same config.json).
        #expect(model["path"] as? String == URL(fileURLWithPath: reference.header.model_path).lastPathComponent)
        #expect(model["sha256"] as? String == reference.header.model_sha256)
        #expect(model["num_layers"] as? Int == reference.header.num_layers)
        #expect(model["hidden_size"] as? Int == reference.header.hidden_size)

        let perturbation = try #require(config["perturbation"] as? [String: Any])
        #expect(Set(perturbation.keys) == ["kind", "levels", "normalization", "layer", "pooling"])
        #expect(perturbation["kind"] as? String == "icdf")
        #expect(perturbation["levels"] as? Int == 64)
        #expect(perturbation["normalization"] as? String == "standardize")
        #expect(perturbation["layer"] as? Int == reference.auto.layer)
        #expect(perturbation["pooling"] as? String == "mean")

        let directions = try #require(config["directions"] as? [[String: Any]])
        #expect(directions.count == reference.auto.contrasts.count)
        for (direction, expected) in zip(directions, reference.auto.contrasts) {
            #expect(Set(direction.keys) == ["name", "positive", "negative", "threshold", "threshold_fpr01", "silhouette",
                                            "direction_threshold", "probe_threshold", "train_auc", "hidden_pooling", "verdict", "selection",
                                            "multilayer_probe_threshold", "multilayer_probe_pooling"])
            #expect(direction["name"] as? String == expected.name)
            #expect(direction["positive"] as? String == expected.positive)
            #expect(direction["negative"] as? String == expected.negative)
            for key in ["threshold", "threshold_fpr01", "silhouette", "direction_threshold", "probe_threshold"] {
                #expect(direction[key] is Double || direction[key] is NSNumber, "\(expected.name).\(key)")
            }
            let auc = try #require(direction["train_auc"] as? [String: Any])
            #expect(Set(auc.keys) == ["codebook", "mean_difference", "probe", "multilayer_probe"])
        }

        let files = try #require(config["files"] as? [String: String])
        #expect(Set(files.keys) == ["basis.safetensors", "regions.safetensors", "splines.json"])
        for (name, digest) in files {
            #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) }, "\(name): \(digest)")
            #expect(try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent(name)) == digest, "\(name) checksum")
        }
        let splines = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("splines.json"))) as? [String: Any])
        #expect(Set(splines.keys) == ["format_version", "z", "sum"])
        #expect(splines["format_version"] as? Int == 1)
        let z = try #require(splines["z"] as? [[String: Any]])
        #expect(z.count == 3)
        for spline in z + [try #require(splines["sum"] as? [String: Any])] {
            #expect(Set(spline.keys) == ["knots", "values", "slopes", "epsilon"])
            for key in ["knots", "values", "slopes"] { #expect((spline[key] as? [Any])?.count == 33, "\(key)") }
        }
    }

    /// The same input gives the same bytes: compiled twice into two folders, and `serialize` in memory.
    @Test func compilingTwiceGivesIdenticalBytes() throws {
        let (first, summary) = try compile(.auto)
        let (second, _) = try compile(.auto)
        defer {
            try? FileManager.default.removeItem(at: first)
            try? FileManager.default.removeItem(at: second)
        }
        let serialized = try CodebookWriter.serialize(summary.codebook)
        #expect(Set(serialized.keys) == Set(CodebookArtifacts.checksummed + [CodebookArtifacts.config]))
        for name in CodebookArtifacts.checksummed + [CodebookArtifacts.config] {
            let a = try Data(contentsOf: first.appendingPathComponent(name))
            let b = try Data(contentsOf: second.appendingPathComponent(name))
            #expect(a == b, "\(name) differs between two compiles")
            #expect(serialized[name] == a, "\(name): serialize and write differ")
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: first.path)) == Set(serialized.keys))
    }

    /// The committed artifacts (checked in Python by make_compile.py with `safetensors` and `json`) are
    /// what compile writes today, byte for byte. REGENERATE_COMPILE_FIXTURE=1 rewrites them instead.
    @Test func committedArtifactsAreReproduced() throws {
        let (directory, _) = try compile(.auto)
        defer { try? FileManager.default.removeItem(at: directory) }
        let names = CodebookArtifacts.checksummed + [CodebookArtifacts.config]
        if ProcessInfo.processInfo.environment["REGENERATE_COMPILE_FIXTURE"] == "1" {
            let fm = FileManager.default
            try fm.createDirectory(at: Self.committedArtifacts, withIntermediateDirectories: true)
            for name in names {
                let target = Self.committedArtifacts.appendingPathComponent(name)
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.copyItem(at: directory.appendingPathComponent(name), to: target)
            }
            return
        }
        for name in names {
            let committed = try Data(contentsOf: Self.committedArtifacts.appendingPathComponent(name))
            let written = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(committed == written, "\(name) differs from Tests/Fixtures/compile/artifacts/\(name) (regenerate: REGENERATE_COMPILE_FIXTURE=1, then make_compile.py --check-only)")
        }
        // And the committed folder loads.
        let codebook = try Codebook.load(Self.committedArtifacts)
        #expect(codebook.layer == (try CompileReference.load()).auto.layer)
    }

    // MARK: - Runtime against compile

    /// `Codebook.load` gives back exactly the codebook compile held in memory, and the runtime's `score`
    /// and `scoreHidden` on every train prompt reproduce the probabilities compile thresholded: the
    /// thresholds and AUCs recomputed from the runtime's numbers equal config.json's bit for bit, and the
    /// flagged decisions give the reference's train TPR and FPR at the thresholds.
    @Test(arguments: [LayerChoice.auto, .fixed(0)])
    func runtimeAgreesWithCompile(_ choice: LayerChoice) throws {
        let reference = try CompileReference.load()
        let expectedLayer = choice == .auto ? reference.auto : reference.fixed
        if case let .fixed(layer) = choice { #expect(layer == reference.fixed.layer) }
        let (directory, summary) = try compile(choice)
        defer { try? FileManager.default.removeItem(at: directory) }
        let compiled = summary.codebook
        let loaded = try Codebook.load(directory)

        // config.json holds the checksums the in-memory configuration leaves empty.
        var configuration = loaded.configuration
        #expect(configuration.files.count == 3)
        configuration.files = compiled.configuration.files
        // and its own seal, which the in-memory configuration does not have yet.
        #expect(configuration.contentSHA256?.count == 64 && compiled.configuration.contentSHA256 == nil)
        configuration.contentSHA256 = nil
        #expect(configuration == compiled.configuration)
        #expect(loaded.basis == compiled.basis)
        #expect(loaded.singularValues == compiled.singularValues)
        #expect(loaded.decomposition == compiled.decomposition, "splines.json does not round-trip the fitted splines")
        #expect(loaded.populationMean == compiled.populationMean && loaded.populationStd == compiled.populationStd)
        #expect(loaded.directions == compiled.directions)

        let set = try ActivationsSet(url: Self.activations)
        for (index, (direction, expected)) in zip(loaded.directions, expectedLayer.contrasts).enumerated() {
            let entry = loaded.configuration.directions[index]
            var probabilities: [Double] = [], points: [SIMD3<Double>] = [], labels: [Bool] = []
            var flagged = (positive: 0, negative: 0)
            for (name, label) in [(direction.positive, true), (direction.negative, false)] {
                let condition = try set.condition(name)
                for row in 0..<condition.count where condition.index.splits[row] == 0 {
                    let perturbation = condition.promptPerturbation(row, layer: loaded.layer)
                    let signal = loaded.score(perturbation)[index]
                    #expect(signal.name == direction.name && signal.threshold == direction.threshold)
                    #expect(signal.flagged == (signal.probability >= direction.threshold))
                    // The allocation-free path gives the same numbers.
                    var out = [Double](repeating: .nan, count: loaded.directions.count)
                    Array(perturbation).withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { loaded.probabilities(p, into: $0) } }
                    #expect(out[index] == signal.probability)
                    probabilities.append(signal.probability)
                    points.append(loaded.decompose(loaded.project(perturbation)).vector)
                    labels.append(label)
                    if signal.flagged { if label { flagged.positive += 1 } else { flagged.negative += 1 } }
                }
            }
            #expect(labels.filter { $0 }.count == expected.n_positive && labels.filter { !$0 }.count == expected.n_negative)
            let thresholds = try ClassifierThresholds.fit(probabilities: probabilities, labels: labels)
            #expect(thresholds.youden == entry.threshold, "\(direction.name): runtime probabilities give another threshold")
            #expect(thresholds.fpr01 == entry.thresholdFPR01, "\(direction.name): runtime probabilities give another threshold_fpr01")
            #expect(try ROC.auc(scores: probabilities, labels: labels) == entry.trainAUC.codebook)
            #expect(Double(flagged.positive) / Double(expected.n_positive) == expected.rates_at_threshold.tpr, "\(direction.name) TPR")
            #expect(Double(flagged.negative) / Double(expected.n_negative) == expected.rates_at_threshold.fpr, "\(direction.name) FPR")
            // Against Python: (sum, u, v) and probabilities to ~1e-15 (PCHIP evaluation order); 1e-12.
            expectClose(points.flatMap { [$0.x, $0.y, $0.z] }, expected.train_points, 1e-12, "\(direction.name) train (sum, u, v)")
            expectClose(probabilities, expected.train_probabilities, 1e-12, "\(direction.name) train probabilities")
        }

        // The hidden-space directions (independent of the codebook layer).
        for (index, (direction, expected)) in zip(loaded.directions, reference.directions).enumerated() {
            let entry = loaded.configuration.directions[index]
            var scores: [Double] = [], probabilities: [Double] = [], labels: [Bool] = []
            var flagged = (direction: (positive: 0, negative: 0), probe: (positive: 0, negative: 0))
            for (name, label) in [(direction.positive, true), (direction.negative, false)] {
                let condition = try set.condition(name)
                for row in 0..<condition.count where condition.index.splits[row] == 0 {
                    let signals = loaded.scoreHidden { condition.hidden(row, layer: $0, pooling: $1).map(Array.init) }
                    let score = direction.meanDifference.decision(bag: condition.hidden(row, layer: direction.meanDifference.layer,
                                                                                        pooling: direction.meanDifference.pooling)).value
                    scores.append(score)
                    probabilities.append(signals.probe[index].probability)
                    labels.append(label)
                    #expect(signals.meanDifference[index].flagged == (score >= entry.directionThreshold))
                    if signals.meanDifference[index].flagged { if label { flagged.direction.positive += 1 } else { flagged.direction.negative += 1 } }
                    if signals.probe[index].flagged { if label { flagged.probe.positive += 1 } else { flagged.probe.negative += 1 } }
                }
            }
            #expect(scores == expected.train_scores, "\(direction.name): mean-difference scores differ from NumPy's")
            #expect(probabilities == expected.probe.train_probabilities, "\(direction.name): probe probabilities differ from NumPy's")
            #expect(try ClassifierThresholds.fit(probabilities: scores, labels: labels).youden == entry.directionThreshold)
            #expect(try ClassifierThresholds.fit(probabilities: probabilities, labels: labels).youden == entry.probeThreshold)
            #expect(try ROC.auc(scores: scores, labels: labels) == entry.trainAUC.meanDifference)
            #expect(try ROC.auc(scores: probabilities, labels: labels) == entry.trainAUC.probe)
            let nPositive = Double(labels.filter { $0 }.count), nNegative = Double(labels.filter { !$0 }.count)
            #expect(Double(flagged.direction.positive) / nPositive == expected.rates_at_threshold.tpr)
            #expect(Double(flagged.direction.negative) / nNegative == expected.rates_at_threshold.fpr)
            #expect(Double(flagged.probe.positive) / nPositive == expected.probe.rates_at_threshold.tpr)
            #expect(Double(flagged.probe.negative) / nNegative == expected.probe.rates_at_threshold.fpr)
        }
    }
}

// MARK: - Comparisons

private func vector(_ v: SIMD3<Double>) -> [Double] { [v.x, v.y, v.z] }

/// Stored F32 values (as Double) within `maxULPs` float32 ulps of the reference rounded to float32.
private func expectFloat32(_ actual: [Double], _ expected: [Double], maxULPs: Int = 1, _ what: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() {
        let stored = Float(a)
        #expect(Double(stored) == a, "\(what)[\(i)] = \(a) is not a float32 value", sourceLocation: sourceLocation)
        let ulps = float32ULPs(stored, Float(e))
        #expect(ulps <= maxULPs, "\(what)[\(i)]: \(stored) vs \(Float(e)) (reference \(e)), \(ulps) ulps", sourceLocation: sourceLocation)
    }
}

/// The number of float32 values between `a` and `b` (0 when equal; ±0 equal).
private func float32ULPs(_ a: Float, _ b: Float) -> Int {
    func ordered(_ x: Float) -> Int { x.sign == .minus ? -Int(x.magnitude.bitPattern) : Int(x.bitPattern) }
    return abs(ordered(a) - ordered(b))
}

/// `|a − e| ≤ tolerance · max(1, |e|)` elementwise.
private func expectClose(_ actual: [Double], _ expected: [Double], _ tolerance: Double, _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    for (i, (a, e)) in zip(actual, expected).enumerated() where !(abs(a - e) <= tolerance * max(1, abs(e))) {
        Issue.record("\(what)[\(i)]: \(a) vs \(e) (difference \(a - e))", sourceLocation: sourceLocation)
    }
}
