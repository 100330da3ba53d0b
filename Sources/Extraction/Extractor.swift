import Activations
import CodebookRuntime
import DetectorModels
import Foundation
import SafeTensors
import Tokenizers

/// What `extract` is asked to do (SPEC §10).
package struct ExtractionRequest: Sendable {
    package var model: URL
    package var catalog: URL
    package var output: URL
    package var maxTokens: Int = 256
    package var shard: Shard = .whole
    package var resume: Bool = false
    /// Prompts per forward pass (and per crash-safe part). Part of the resume manifest.
    package var batchSize: Int = 32
    /// Tests: stop (as a crash would) after computing this many batches.
    var stopAfterBatches: Int?
    /// Tests: the part of the batch computed after this many fails to write, as on a full disk.
    var failPartWriteAfterBatches: Int?

    package init(model: URL, catalog: URL, output: URL) {
        self.model = model
        self.catalog = catalog
        self.output = output
    }
}

/// What an extraction did, for the one-line summary.
package struct ExtractionSummary: Sendable {
    package var output: URL
    package var conditions: Int
    package var prompts: Int
    package var tokens: Int
    package var truncatedPrompts: Int
    package var layers: Int
    package var resumedBatches: Int
    package var seconds: Double
    package var bytes: Int

    package var line: String {
        let rate = seconds > 0 ? Int(Double(tokens) / seconds) : 0
        let resumed = resumedBatches > 0 ? ", \(resumedBatches) batches resumed" : ""
        return "extract: \(prompts) prompts, \(tokens) tokens (\(truncatedPrompts) truncated), \(conditions) conditions, "
            + "\(layers) layers → \(output.path) (\(bytes / 1_000_000) MB) in \(String(format: "%.1f", seconds)) s, "
            + "\(rate) tokens/s\(resumed)"
    }
}

/// Stage 1: runs a validated catalog through the detector and writes the activations file.
package enum Extractor {
    package static func run(_ request: ExtractionRequest) throws -> ExtractionSummary {
        let start = Date()
        // The finished file is renamed over --out, which fails on a folder: say so now, not after the work.
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: request.output.path, isDirectory: &isFolder), isFolder.boolValue {
            throw ExtractionError.outputIsFolder(path: request.output.path)
        }
        // Everything that can be wrong with the inputs is found before any model work.
        let catalog = try Catalog.load(directory: request.catalog)
        let detector = try Detector(model: request.model)
        let plan = try ExtractionPlan(catalog: catalog, detector: detector, maxTokens: request.maxTokens,
                                      shard: request.shard, batchSize: request.batchSize)
        let outputFolder = request.output.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
        } catch {
            throw ExtractionError.cannotWrite(path: outputFolder.path, detail: "cannot create the folder: \(FileErrorReason.of(error))")
        }
        // One extract per output at a time: two would share the parts folder and the file aside.
        let lock = try OutputLock(output: request.output)
        defer { lock.release() }
        let layers = detector.description.numLayers, hiddenSize = detector.description.hiddenSize
        let header = ActivationsHeader(
            modelType: detector.description.modelType, modelPath: request.model.relativePath,  // as given: artifacts carry no machine-specific path
            modelSHA256: try SHA256.hexDigest(ofFileAt: detector.weightsFile),
            numLayers: layers, hiddenSize: hiddenSize, maxTokens: request.maxTokens,
            catalogSHA256: catalog.sha256, contrasts: catalog.contrasts, conditions: catalog.conditions,
            shardIndex: request.shard.index, shardCount: request.shard.count, pooling: Pooling.of(modelType: detector.description.modelType).rawValue)

        let parts = try PartStore(
            output: request.output,
            manifest: .init(modelSHA256: header.modelSHA256, catalogSHA256: header.catalogSHA256,
                            maxTokens: request.maxTokens, shard: request.shard.description,
                            batchSize: request.batchSize, numLayers: layers, hiddenSize: hiddenSize, pooling: header.pooling,
                            hiddenPoolings: true),
            resume: request.resume)

        // Two threads: this one runs the forward passes, one batch after the other; a background
        // stage takes each batch's hidden states and computes its perturbations, writes its
        // crash-safe part and appends it to the HDF5 file (compressed as it goes), in catalog order.
        // The forward pass is most of the work, so the rest happens while the next batch's forward
        // pass runs, instead of after all of them. The HDF5 file is written aside, in the parts
        // folder, so a crash leaves nothing but that folder.
        let assembling = parts.directory.appendingPathComponent("assembling.h5")
        let canonical = parts.directory.appendingPathComponent("canonical.h5")
        let computer = BatchComputer(detector: detector)
        let assembly = Assembly(writer: try ActivationsWriter(creating: assembling, header: header, poolings: true), parts: parts,
                                computer: computer, plan: plan, layers: layers, hiddenSize: hiddenSize,
                                failPartWriteAfterBatches: request.failPartWriteAfterBatches)
        // Two batches may wait for the background stage: it starts the next one as soon as it is
        // done with one. With the batch being computed, three batches' hidden states at most.
        let stage = BackgroundStage<Assembly.Step>(label: "extract.assembly", capacity: 2) { try assembly.perform($0) }
        let progress = ProgressLine(label: "extract", totalUnits: plan.totalTokens, unitName: "tokens")
        var resumed = 0, computed = 0
        do {
            for (c, condition) in plan.conditions.enumerated() {
                try stage.submit(.begin(condition: condition.name))
                for (b, batch) in condition.batches.enumerated() {
                    if parts.contains(condition: c, batch: b) {
                        resumed += 1
                        progress.skip(units: batch.tokenCount)
                        try stage.submit(.resumed(condition: c, batch: b))
                        continue
                    }
                    if let limit = request.stopAfterBatches, computed == limit {
                        try stage.finish()  // the batches computed so far are stored, as they would be before a kill
                        throw ExtractionError.interrupted(batches: computed)
                    }
                    let states: [HiddenStates]
                    do {
                        states = try computer.hiddenStates(of: batch)
                    } catch {
                        throw Assembly.BadInput(error: error)
                    }
                    computed += 1
                    try stage.submit(.computed(states: states, condition: c, batch: b))
                    progress.advance(units: batch.tokenCount, detail: condition.name)
                }
                try stage.submit(.end)
            }
            try stage.finish()
        } catch {
            stage.cancel()  // the background stage is idle from here on: its files may go
            if let bad = error as? Assembly.BadInput {
                // Bad input (a NaN from broken weights) fails the same way on --resume: the parts
                // are worth nothing, and an error must leave nothing beside --out (SPEC §10).
                try? parts.remove()  // best effort: the error that stopped the run is the one to report
                throw bad.error
            }
            // A full disk, a damaged part, an interruption: the finished parts are good; keep them.
            try? FileManager.default.removeItem(at: assembling)  // best effort, as above; --resume rewrites it anyway
            throw error
        }
        progress.finish()

        // Close the HDF5 file and publish its canonical copy by renaming it over --out.
        do {
            try assembly.writer.close()
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

/// The background stage of an extraction: what happens to each batch after its forward pass.
///
/// Confined to one thread at a time: the stage's thread while batches flow, the caller's once
/// `BackgroundStage.finish` or `cancel` returned (that is what makes it `@unchecked Sendable`).
private final class Assembly: @unchecked Sendable {
    /// One step, in catalog order.
    enum Step: Sendable {
        case begin(condition: String)
        case computed(states: [HiddenStates], condition: Int, batch: Int)
        case resumed(condition: Int, batch: Int)
        case end
    }

    /// An error of the input (the model's output), not of the output: it would recur on --resume.
    struct BadInput: Error {
        let error: Error
    }

    let writer: ActivationsWriter
    private let parts: PartStore
    private let computer: BatchComputer
    private let plan: ExtractionPlan
    private let layers: Int, hiddenSize: Int
    private let failPartWriteAfterBatches: Int?
    private var partsWritten = 0

    init(writer: ActivationsWriter, parts: PartStore, computer: BatchComputer, plan: ExtractionPlan,
         layers: Int, hiddenSize: Int, failPartWriteAfterBatches: Int?) {
        self.writer = writer
        self.parts = parts
        self.computer = computer
        self.plan = plan
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.failPartWriteAfterBatches = failPartWriteAfterBatches
    }

    func perform(_ step: Step) throws {
        switch step {
        case let .begin(condition):
            try writer.beginCondition(condition)
        case let .computed(states, c, b):
            let activations: ConditionBatch
            do {
                activations = try computer.activations(of: plan.conditions[c].batches[b], states: states,
                                                       condition: plan.conditions[c].name)
            } catch {
                throw BadInput(error: error)
            }
            do {
                if let limit = failPartWriteAfterBatches, partsWritten == limit {
                    throw SafeTensorsError.io(path: parts.directory.path, detail: "No space left on device (simulated by a test)")
                }
                try parts.write(activations, condition: c, index: b, layers: layers, hiddenSize: hiddenSize)
                partsWritten += 1
            } catch {
                // A full disk or a lost mount: the finished batches are good; keep them.
                throw ExtractionError.cannotWrite(path: parts.directory.path,
                                                  detail: "\(error); the finished batches are kept: fix this and run again with --resume")
            }
            try writer.append(activations)
        case let .resumed(c, b):
            try writer.append(parts.read(condition: c, batch: b, layers: layers, hiddenSize: hiddenSize, poolings: true,
                                         sink: computer.pooling == .meanWithoutSink))
        case .end:
            try writer.endCondition()
        }
    }
}
