import Activations
import CodebookRuntime
import DetectorModels
import Foundation
import Tokenizers

/// What `extract` is asked to do (SPEC §10).
public struct ExtractionRequest: Sendable {
    public var model: URL
    public var catalog: URL
    public var output: URL
    public var maxTokens: Int = 256
    public var shard: Shard = .whole
    public var resume: Bool = false
    /// Prompts per forward pass (and per crash-safe part). Part of the resume manifest.
    public var batchSize: Int = 32
    /// Tests: stop (as a crash would) after computing this many batches.
    var stopAfterBatches: Int?

    public init(model: URL, catalog: URL, output: URL) {
        self.model = model
        self.catalog = catalog
        self.output = output
    }
}

/// What an extraction did, for the one-line summary.
public struct ExtractionSummary: Sendable {
    public var output: URL
    public var conditions: Int
    public var prompts: Int
    public var tokens: Int
    public var truncatedPrompts: Int
    public var layers: Int
    public var resumedBatches: Int
    public var seconds: Double
    public var bytes: Int

    public var line: String {
        let rate = seconds > 0 ? Int(Double(tokens) / seconds) : 0
        let resumed = resumedBatches > 0 ? ", \(resumedBatches) batches resumed" : ""
        return "extract: \(prompts) prompts, \(tokens) tokens (\(truncatedPrompts) truncated), \(conditions) conditions, "
            + "\(layers) layers → \(output.path) (\(bytes / 1_000_000) MB) in \(String(format: "%.1f", seconds)) s, "
            + "\(rate) tokens/s\(resumed)"
    }
}

/// Stage 1: runs a validated catalog through the detector and writes the activations file.
public enum Extractor {
    public static func run(_ request: ExtractionRequest) throws -> ExtractionSummary {
        let start = Date()
        let outputFolder = request.output.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: outputFolder.path) else {
            throw ExtractionError.outputFolderMissing(path: outputFolder.path)
        }
        // The finished file is renamed over --out, which fails on a folder: say so now, not after the work.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: request.output.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ExtractionError.outputIsFolder(path: request.output.path)
        }
        // Everything that can be wrong with the inputs is found before any model work.
        let catalog = try Catalog.load(directory: request.catalog)
        let detector = try Detector(directory: request.model)
        let plan = try ExtractionPlan(catalog: catalog, detector: detector, maxTokens: request.maxTokens,
                                      shard: request.shard, batchSize: request.batchSize)
        let layers = detector.description.numLayers, hiddenSize = detector.description.hiddenSize
        let header = ActivationsHeader(
            modelType: detector.description.modelType, modelPath: request.model.relativePath,  // as given: artifacts carry no machine-specific path
            modelSHA256: try SHA256.hexDigest(ofFileAt: detector.weightsFile),
            numLayers: layers, hiddenSize: hiddenSize, maxTokens: request.maxTokens,
            catalogSHA256: catalog.sha256, contrasts: catalog.contrasts, conditions: catalog.conditions,
            shardIndex: request.shard.index, shardCount: request.shard.count)

        let parts = try PartStore(
            output: request.output,
            manifest: .init(modelSHA256: header.modelSHA256, catalogSHA256: header.catalogSHA256,
                            maxTokens: request.maxTokens, shard: request.shard.description,
                            batchSize: request.batchSize, numLayers: layers, hiddenSize: hiddenSize),
            resume: request.resume)

        // Forward passes, one crash-safe part per batch.
        let progress = ProgressLine(label: "extract", totalUnits: plan.totalTokens, unitName: "tokens")
        let computer = BatchComputer(detector: detector)
        var resumed = 0, computed = 0
        for (c, condition) in plan.conditions.enumerated() {
            for (b, batch) in condition.batches.enumerated() {
                if parts.contains(condition: c, batch: b) {
                    resumed += 1
                    progress.skip(units: batch.tokenCount)
                    continue
                }
                if let limit = request.stopAfterBatches, computed == limit { throw ExtractionError.interrupted(batches: computed) }
                let activations: ConditionBatch
                do {
                    activations = try computer.activations(of: batch, condition: condition.name)
                } catch {
                    // Bad input (a NaN from broken weights) fails the same way on --resume: the parts
                    // are worth nothing, and an error must leave nothing beside --out (SPEC §10).
                    try? parts.remove()  // best effort: the error that stopped the run is the one to report
                    throw error
                }
                computed += 1
                do {
                    try parts.write(activations, condition: c, index: b, layers: layers, hiddenSize: hiddenSize)
                } catch {
                    // A full disk or a lost mount: the finished batches are good; keep them.
                    throw ExtractionError.cannotWrite(path: parts.directory.path,
                                                      detail: "\(error); the finished batches are kept: fix this and run again with --resume")
                }
                progress.advance(units: batch.tokenCount, detail: condition.name)
            }
        }
        progress.finish()

        // Assemble the parts into the HDF5 file aside, then rename it into place.
        let assembling = outputFolder.appendingPathComponent(".\(request.output.lastPathComponent).assembling")
        let canonical = outputFolder.appendingPathComponent(".\(request.output.lastPathComponent).canonical")
        do {
            let writer = try ActivationsWriter(creating: assembling, header: header)
            for (c, condition) in plan.conditions.enumerated() {
                try writer.beginCondition(condition.name)
                for b in condition.batches.indices {
                    try writer.append(parts.read(condition: c, batch: b, layers: layers, hiddenSize: hiddenSize))
                }
                try writer.endCondition()
            }
            try writer.close()
            // HDF5 leaves bytes it never initialized in some metadata blocks, so two runs that wrote the
            // same content can differ; the canonical copy's bytes depend on the content alone.
            try ActivationsWriter.writeCanonicalCopy(of: assembling, to: canonical)
            try FileManager.default.removeItem(at: assembling)
            // rename(2) replaces the destination atomically: readers see the old file or the new one.
            guard rename(canonical.path, request.output.path) == 0 else {
                throw ExtractionError.cannotWrite(path: request.output.path, detail: String(cString: strerror(errno)))
            }
        } catch {
            // Never leave a half file behind; the error that stopped us is the one to report.
            for leftover in [assembling, canonical] { try? FileManager.default.removeItem(at: leftover) }
            throw error
        }
        try parts.remove()

        let bytes = (try FileManager.default.attributesOfItem(atPath: request.output.path)[.size] as? Int) ?? 0
        return ExtractionSummary(
            output: request.output, conditions: plan.conditions.count, prompts: plan.totalPrompts,
            tokens: plan.totalTokens, truncatedPrompts: plan.truncatedPrompts, layers: layers,
            resumedBatches: resumed, seconds: Date().timeIntervalSince(start), bytes: bytes)
    }
}
