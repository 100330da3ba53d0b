import CodebookRuntime
import Activations
import Foundation
import SafeTensors

/// Crash-safe progress of one extraction: each finished batch is a small safetensors file in
/// `<out>.parts/`, written aside and renamed into place, so a kill at any moment loses at most the
/// batches in flight (the one in its forward pass and the few waiting for the background stage).
/// `--resume` keeps the parts whose manifest matches and computes the rest; the HDF5 file is always
/// written from the same batches in the same order (read back from the parts for a resumed run), so
/// a resumed run gives the same file as an uninterrupted one. The folder also holds that HDF5 file
/// while it is written, so a crash leaves nothing but this folder.
struct PartStore {
    let directory: URL
    private static let manifestName = "manifest.json"

    /// What must be equal for parts to be reused: everything that changes their content.
    struct Manifest: Codable, Equatable {
        var modelSHA256: String
        var catalogSHA256: String
        var maxTokens: Int
        var shard: String
        var batchSize: Int
        var numLayers: Int
        var hiddenSize: Int
        /// The activations file's `pooling`; absent in parts written before it existed (never resumed).
        var pooling: String?
        /// Whether the parts hold the other hidden poolings (issue #14); absent in parts from before them.
        var hiddenPoolings: Bool?
    }

    /// Opens the store for `output`; without `resume` an earlier run's parts are discarded.
    init(output: URL, manifest: Manifest, resume: Bool) throws {
        directory = output.deletingLastPathComponent().appendingPathComponent(output.lastPathComponent + ".parts")
        let fm = FileManager.default
        let manifestURL = directory.appendingPathComponent(Self.manifestName)
        if resume, fm.fileExists(atPath: manifestURL.path) {
            let found: Manifest
            do {
                found = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
            } catch {
                throw ExtractionError.badPart(path: manifestURL.path, detail: "not an extract manifest (\(FileErrorReason.of(error)))")
            }
            for (field, same) in [
                ("model", found.modelSHA256 == manifest.modelSHA256),
                ("catalog", found.catalogSHA256 == manifest.catalogSHA256),
                ("--max-tokens", found.maxTokens == manifest.maxTokens),
                ("--shard", found.shard == manifest.shard),
                ("batch size", found.batchSize == manifest.batchSize),
                ("model shape", found.numLayers == manifest.numLayers && found.hiddenSize == manifest.hiddenSize),
                ("pooling (parts from an earlier version)", found.pooling == manifest.pooling && found.hiddenPoolings == manifest.hiddenPoolings),
            ] where !same {
                throw ExtractionError.resumeMismatch(path: directory.path, field: field)
            }
            return
        }
        if fm.fileExists(atPath: directory.path) { try fm.removeItem(at: directory) }
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(manifest).write(to: manifestURL, options: .atomic)
    }

    private func url(condition: Int, batch: Int) -> URL {
        directory.appendingPathComponent(String(format: "c%03d-b%05d.safetensors", condition, batch))
    }

    func contains(condition: Int, batch: Int) -> Bool {
        FileManager.default.fileExists(atPath: url(condition: condition, batch: batch).path)
    }

    func write(_ batch: ConditionBatch, condition: Int, index: Int, layers: Int, hiddenSize: Int) throws {
        let levels = ActivationsLayout.levels
        let n = batch.promptCount, t = batch.tokenCount
        let idsJSON = String(decoding: try JSONEncoder().encode(batch.ids), as: UTF8.self)
        var writer = SafeTensorsWriter(metadata: ["ids": idsJSON])
        try writer.add("split", dtype: .U8, shape: [n], bytes: batch.splits)
        try writer.add("truncated", dtype: .U8, shape: [n], bytes: batch.truncated)
        try writer.add("token_counts", shape: [n], int64s: batch.tokenCounts.map(Int64.init))
        try writer.add("token_ids", shape: [t], int64s: batch.tokenIDs.map(Int64.init))
        try writer.add("token_perturbations", shape: [t, layers, levels], floats: batch.tokenPerturbations)
        try writer.add("prompt_perturbations", shape: [n, layers, levels], floats: batch.promptPerturbations)
        try writer.add("hidden_mean", shape: [n, layers, hiddenSize], floats: batch.hiddenMean)
        try writer.add("hidden_last", shape: [n, hiddenSize], floats: batch.hiddenLast)
        if !batch.hiddenMeanAllTokens.isEmpty {
            try writer.add("hidden_mean_all_tokens", shape: [n, layers, hiddenSize], floats: batch.hiddenMeanAllTokens)
        }
        if !batch.windowCounts.isEmpty {
            try writer.add("hidden_last_token", shape: [n, layers, hiddenSize], floats: batch.hiddenLastToken)
            try writer.add("window_counts", shape: [n], int64s: batch.windowCounts.map(Int64.init))
            try writer.add("hidden_windows", shape: [batch.windowCount, layers, hiddenSize], floats: batch.hiddenWindows)
        }
        try writer.write(to: url(condition: condition, batch: index))  // aside, then renamed
    }

    /// `poolings`, `sink`: as `ConditionBatch.validate` (the manifest made sure the parts were written so).
    func read(condition: Int, batch index: Int, layers: Int, hiddenSize: Int, poolings: Bool, sink: Bool) throws -> ConditionBatch {
        let url = url(condition: condition, batch: index)
        do {
            let file = try SafeTensorsFile(contentsOf: url)
            var batch = ConditionBatch()
            guard let idsJSON = file.metadata["ids"] else { throw ExtractionError.badPart(path: url.path, detail: "no ids") }
            batch.ids = try JSONDecoder().decode([String].self, from: Data(idsJSON.utf8))
            batch.splits = try file.int64s("split").map { UInt8($0) }
            batch.truncated = try file.int64s("truncated").map { UInt8($0) }
            batch.tokenCounts = try file.int64s("token_counts").map { Int($0) }
            batch.tokenIDs = try file.int64s("token_ids").map { Int32($0) }
            batch.tokenPerturbations = try file.floats("token_perturbations")
            batch.promptPerturbations = try file.floats("prompt_perturbations")
            batch.hiddenMean = try file.floats("hidden_mean")
            batch.hiddenLast = try file.floats("hidden_last")
            if poolings {
                if sink { batch.hiddenMeanAllTokens = try file.floats("hidden_mean_all_tokens") }
                batch.hiddenLastToken = try file.floats("hidden_last_token")
                batch.windowCounts = try file.int64s("window_counts").map { Int($0) }
                batch.hiddenWindows = try file.floats("hidden_windows")
            }
            try batch.validate(layers: layers, hiddenSize: hiddenSize, poolings: poolings, sink: sink)
            return batch
        } catch let error as ExtractionError {
            throw error
        } catch {
            throw ExtractionError.badPart(path: url.path, detail: "\(error)")
        }
    }

    /// Removes the parts once the final file is in place.
    func remove() throws {
        try FileManager.default.removeItem(at: directory)
    }
}
