import Foundation
import SafeTensors

extension Codebook {
    /// Loads and verifies a compiled codebook from `directory`: known format versions, the sha256 of
    /// every file `config.json` lists, and every tensor's shape. Any failure names the file and key.
    public static func load(_ directory: URL) throws -> Codebook {
        let configuration = try loadConfiguration(directory)
        for name in CodebookArtifacts.checksummed {
            guard let expected = configuration.files[name] else {
                throw CodebookRuntimeError.badArtifact(file: path(directory, CodebookArtifacts.config), key: "files.\(name)", reason: "missing")
            }
            let actual = try SHA256.hexDigest(ofFileAt: directory.appendingPathComponent(name))
            guard actual == expected else {
                throw CodebookRuntimeError.checksumMismatch(file: path(directory, name), expected: expected, actual: actual)
            }
        }
        let levels = ProjectionBasis.levels
        let basisFile = try SafeTensorsFile(contentsOf: directory.appendingPathComponent(CodebookArtifacts.basis))
        guard let info = basisFile.info("singular_values"), info.shape.count == 1, (3...levels).contains(info.shape[0]) else {
            throw CodebookRuntimeError.badArtifact(file: basisFile.url.path, key: "singular_values", reason: "expected F32 [3…64]")
        }
        let basis = ProjectionBasis(mean: try floats(basisFile, "mean", [levels]),
                                    components: try floats(basisFile, "basis", [3, levels]))
        let singularValues = try floats(basisFile, "singular_values", info.shape)

        let decomposition = try loadSplines(directory)

        let regions = try SafeTensorsFile(contentsOf: directory.appendingPathComponent(CodebookArtifacts.regions))
        let D = configuration.directions.count, d = configuration.model.hiddenSize
        func tensor(_ name: String, _ shape: [Int]) throws -> [Double] { try floats(regions, name, shape) }
        let centroids = try tensor("centroids", [D, 2, 3]), scale = try tensor("scale", [D, 3])
        let cohenD = try tensor("cohen_d", [D, 3]), weights = try tensor("classifier_weights", [D, 3])
        let bias = try tensor("classifier_bias", [D])
        let populationMean = try tensor("population_mean", [3]), populationStd = try tensor("population_std", [3])
        let directionVectors = try tensor("direction_vectors", [D, d]), directionBias = try tensor("direction_bias", [D])
        guard regions.info("direction_layers")?.dtype == .I64 else {
            throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "direction_layers", reason: "expected dtype I64")
        }
        let directionLayers = try regions.int64s("direction_layers", shape: [D])
        let probeWeights = try tensor("probe_weights", [D, d]), probeBias = try tensor("probe_bias", [D])
        let probeMean = try tensor("probe_mean", [D, d]), probeStd = try tensor("probe_std", [D, d])
        if let bad = directionLayers.first(where: { !(0..<Int64(configuration.model.numLayers)).contains($0) }) {
            throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "direction_layers", reason: "layer \(bad) is not in 0..<\(configuration.model.numLayers)")
        }
        if probeStd.contains(where: { $0 <= 0 }) {
            throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "probe_std", reason: "must be positive")
        }

        let multilayerProbes = try loadMultilayerProbes(regions, configuration)

        func vector3(_ values: [Double], _ row: Int) -> SIMD3<Double> { SIMD3(values[row * 3], values[row * 3 + 1], values[row * 3 + 2]) }
        func row(_ values: [Double], _ i: Int) -> [Double] { Array(values[(i * d)..<((i + 1) * d)]) }
        let directions = configuration.directions.enumerated().map { i, entry in
            CodebookDirection(
                name: entry.name, positive: entry.positive, negative: entry.negative,
                classifier: LogisticModel(weights: Array(weights[(i * 3)..<(i * 3 + 3)]), bias: bias[i]),
                threshold: entry.threshold, thresholdFPR01: entry.thresholdFPR01,
                centroids: (vector3(centroids, 2 * i), vector3(centroids, 2 * i + 1)),
                scale: vector3(scale, i), cohenD: vector3(cohenD, i),
                meanDifference: HiddenDirection(layer: Int(directionLayers[i]), pooling: entry.hiddenPooling ?? .mean,
                                                weights: row(directionVectors, i), bias: directionBias[i],
                                                mean: nil, std: nil, threshold: entry.directionThreshold),
                probe: HiddenDirection(layer: Int(directionLayers[i]), pooling: entry.hiddenPooling ?? .mean,
                                       weights: row(probeWeights, i), bias: probeBias[i],
                                       mean: row(probeMean, i), std: row(probeStd, i), threshold: entry.probeThreshold),
                multilayerProbe: multilayerProbes?[i],
                verdict: VerdictRule(scorer: entry.verdict.scorer, threshold: entry.verdict.threshold))
        }
        return Codebook(configuration: configuration, basis: basis, singularValues: singularValues,
                        decomposition: decomposition, populationMean: vector3(populationMean, 0),
                        populationStd: vector3(populationStd, 0), directions: directions)
    }

    /// The multi-layer probes (`multilayer_probe_weights`, `_bias`, `_mean`, `_std`: F32 [D, L, d], [D],
    /// [D, L, d], [D, L, d] over all L = `num_layers` layers; a direction has one when `config.json`
    /// gives its `multilayer_probe_threshold`), or `nil` when the artifacts have none (before 0.7.0).
    private static func loadMultilayerProbes(_ regions: SafeTensorsFile, _ configuration: CodebookConfiguration) throws -> [MultilayerProbe?]? {
        let D = configuration.directions.count, L = configuration.model.numLayers, d = configuration.model.hiddenSize
        guard regions.info("multilayer_probe_weights") != nil else {
            if let other = ["multilayer_probe_bias", "multilayer_probe_mean", "multilayer_probe_std"].first(where: { regions.info($0) != nil }) {
                throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "multilayer_probe_weights",
                                                       reason: "missing, but \(other) is there (the four come together)")
            }
            if let entry = configuration.directions.first(where: { $0.verdict.scorer == .multilayerProbe }) {
                throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "multilayer_probe_weights",
                                                       reason: "missing, but the verdict of \(entry.name) is the multi-layer probe's")
            }
            return nil
        }
        let weights = try floats(regions, "multilayer_probe_weights", [D, L, d]), bias = try floats(regions, "multilayer_probe_bias", [D])
        let mean = try floats(regions, "multilayer_probe_mean", [D, L, d]), std = try floats(regions, "multilayer_probe_std", [D, L, d])
        if std.contains(where: { $0 <= 0 }) {
            throw CodebookRuntimeError.badArtifact(file: regions.url.path, key: "multilayer_probe_std", reason: "must be positive")
        }
        return try configuration.directions.enumerated().map { i, entry in
            guard let threshold = entry.multilayerProbeThreshold else {
                if entry.verdict.scorer == .multilayerProbe {
                    throw CodebookRuntimeError.badArtifact(file: path(regions.url.deletingLastPathComponent(), CodebookArtifacts.config),
                                                           key: "directions[\(entry.name)].multilayer_probe_threshold",
                                                           reason: "missing, but the verdict is the multi-layer probe's")
                }
                return nil
            }
            let pooling = entry.multilayerProbePooling ?? .mean
            guard MultilayerProbe.poolings.contains(pooling) else {
                throw CodebookRuntimeError.badArtifact(file: path(regions.url.deletingLastPathComponent(), CodebookArtifacts.config),
                                                       key: "directions[\(entry.name)].multilayer_probe_pooling",
                                                       reason: "\(pooling.rawValue) is not one the multi-layer probe reads "
                                                           + "(\(MultilayerProbe.poolings.map(\.rawValue).joined(separator: ", ")))")
            }
            let rows = (i * L * d)..<((i + 1) * L * d)
            return MultilayerProbe(layers: L, pooling: pooling, weights: Array(weights[rows]), bias: bias[i], mean: Array(mean[rows]),
                                   std: Array(std[rows]), threshold: threshold)
        }
    }

    /// An F32 tensor of `shape` whose values are all finite: a NaN in any scoring parameter would make
    /// every probability NaN, and `NaN ≥ threshold` is false — a firewall that silently flags nothing.
    private static func floats(_ file: SafeTensorsFile, _ name: String, _ shape: [Int]) throws -> [Double] {
        if let info = file.info(name), info.dtype != .F32 {
            throw CodebookRuntimeError.badArtifact(file: file.url.path, key: name, reason: "expected dtype F32, found \(info.dtype)")
        }
        let values = try file.doubles(name, shape: shape)
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw CodebookRuntimeError.badArtifact(file: file.url.path, key: name, reason: "value \(values[i]) at index \(i) is not finite")
        }
        return values
    }

    private static func path(_ directory: URL, _ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Reads a JSON artifact, checking `format_version` before anything else; returns it and its bytes.
    private static func decode<T: Decodable>(_ type: T.Type, _ directory: URL, _ name: String, version known: Int) throws -> (value: T, bytes: Data) {
        let url = directory.appendingPathComponent(name)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CodebookRuntimeError.cannotRead(path: url.path, reason: FileErrorReason.of(error))
        }
        do {
            _ = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw CodebookRuntimeError.badArtifact(file: url.path, key: "(document)", reason: "not valid JSON (\(FileErrorReason.of(error)))")
        }
        let version: Int
        do {
            version = try JSONDecoder().decode(Versioned.self, from: data).formatVersion
        } catch {
            throw CodebookRuntimeError.badArtifact(file: url.path, key: "format_version", reason: "missing or not an integer (\(Self.describe(error)))")
        }
        guard version == known else { throw CodebookRuntimeError.unsupportedVersion(file: url.path, version: version, known: known) }
        do {
            return (try JSONDecoder().decode(T.self, from: data), data)
        } catch {
            throw CodebookRuntimeError.badArtifact(file: url.path, key: Self.codingPath(error), reason: Self.describe(error))
        }
    }

    static func loadConfiguration(_ directory: URL) throws -> CodebookConfiguration {
        let (configuration, bytes) = try decode(CodebookConfiguration.self, directory, CodebookArtifacts.config,
                                                version: CodebookConfiguration.formatVersion)
        let file = path(directory, CodebookArtifacts.config)
        guard configuration.model.hiddenSize > 0, configuration.model.numLayers > 0 else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "model", reason: "hidden_size and num_layers must be positive")
        }
        guard (0..<configuration.model.numLayers).contains(configuration.perturbation.layer) else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "perturbation.layer", reason: "not in 0..<\(configuration.model.numLayers)")
        }
        guard configuration.perturbation.levels == ProjectionBasis.levels, configuration.perturbation.kind == "icdf" else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "perturbation", reason: "expected kind icdf with 64 levels")
        }
        if let bad = configuration.directions.first(where: { !$0.verdict.threshold.isFinite }) {
            throw CodebookRuntimeError.badArtifact(file: file, key: "directions[\(bad.name)].verdict.threshold", reason: "must be finite")
        }
        guard !configuration.directions.isEmpty else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "directions", reason: "empty")
        }
        guard configuration.contentSHA256 != nil else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "content_sha256",
                                                   reason: "missing (written by compiler \(configuration.compilerVersion)) --> HINT: re-run `compile`")
        }
        guard let sealed = try CodebookConfiguration.Seal.verify(bytes, file: file), sealed == configuration.contentSHA256 else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "content_sha256",
                                                   reason: "the file was rewritten or edited after compile (its seal is not the first line, as compile writes it) --> HINT: re-run `compile`")
        }
        return configuration
    }

    private static func loadSplines(_ directory: URL) throws -> Decomposition {
        let document = try decode(SplinesDocument.self, directory, CodebookArtifacts.splines, version: SplinesDocument.formatVersion).value
        let file = path(directory, CodebookArtifacts.splines)
        guard document.z.count == 3 else {
            throw CodebookRuntimeError.badArtifact(file: file, key: "z", reason: "expected 3 splines, found \(document.z.count)")
        }
        let marginals = try document.z.enumerated().map { try $1.distribution(file: file, key: "z[\($0)]") }
        return try Decomposition(marginals: marginals, sum: document.sum.distribution(file: file, key: "sum"))
    }

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
