import CodebookRuntime
import Foundation
import HDF5

/// Writes an activations file (SPEC §5) condition by condition, batch by batch: every dataset is
/// chunked, compressed and extendible along its first dimension, so memory is bounded by a batch.
///
/// The numeric datasets go through `HDF5ChunkWriter`: each batch's complete chunks are compressed on
/// all cores and stored as they fill, so nothing is left to compress when a condition ends (HDF5's
/// own filters compressed every chunk serially when the file was flushed), with libdeflate: the
/// format HDF5's deflate filter stores, so any HDF5 reader (h5py) inflates it, in other bytes.
///
/// The writer creates the file where it is told; callers write aside and rename (see `Extractor`).
public final class ActivationsWriter {
    private let file: HDF5File
    private let header: ActivationsHeader
    private let conditionsGroup: HDF5Group
    /// Whether the file has the other hidden poolings (issue #14), and `hidden_mean_all_tokens` among them.
    private let poolings: Bool, sink: Bool
    /// The condition being written: its `ids` dataset, a chunk writer per numeric dataset (in a
    /// fixed order), and the token and window rows so far.
    private var current: (name: String, ids: HDF5Dataset, chunks: [ActivationsLayout.Dataset: HDF5ChunkWriter], tokens: Int64, windows: Int64)?

    /// Chunks of about 256 KiB: big enough to compress well, small enough to read a few rows.
    private static let chunkBytes = 1 << 18

    /// `poolings`: the batches carry the other hidden poolings and the file stores them (what
    /// `extract` writes); without, the file has SPEC §5's datasets alone, as files written before them.
    public init(creating url: URL, header: ActivationsHeader, poolings: Bool = false) throws {
        file = try HDF5File(url: url, mode: .create)
        self.header = header
        self.poolings = poolings
        sink = Pooling.of(modelType: header.modelType) == .meanWithoutSink
        let root = file.root
        typealias A = ActivationsLayout.Attribute
        try root.setAttribute(A.format.rawValue, ActivationsLayout.format)
        try root.setAttribute(A.formatVersion.rawValue, ActivationsLayout.formatVersion)
        try root.setAttribute(A.modelType.rawValue, header.modelType)
        try root.setAttribute(A.modelPath.rawValue, header.modelPath)
        try root.setAttribute(A.modelSHA256.rawValue, header.modelSHA256)
        try root.setAttribute(A.numLayers.rawValue, header.numLayers)
        try root.setAttribute(A.hiddenSize.rawValue, header.hiddenSize)
        try root.setAttribute(A.levels.rawValue, header.levels)
        try root.setAttribute(A.maxTokens.rawValue, header.maxTokens)
        try root.setAttribute(A.catalogSHA256.rawValue, header.catalogSHA256)
        try root.setAttribute(A.contrasts.rawValue, try Self.json(header.contrasts))
        try root.setAttribute(A.conditions.rawValue, try Self.json(header.conditions))
        try root.setAttribute(A.shardIndex.rawValue, header.shardIndex)
        try root.setAttribute(A.shardCount.rawValue, header.shardCount)
        try root.setAttribute(A.pooling.rawValue, header.pooling)
        conditionsGroup = try root.createGroup(ActivationsLayout.conditionsGroup)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The numeric datasets in the order their chunks are written (any fixed order would do).
    private static let numericDatasets: [ActivationsLayout.Dataset] = [
        .split, .tokenOffsets, .tokenIDs, .truncated, .tokenPerturbations, .promptPerturbations, .hiddenMean, .hiddenLast,
        .hiddenMeanAllTokens, .hiddenLastToken, .windowOffsets, .hiddenWindows,
    ]

    /// The chunk writers of the datasets this file has, in `numericDatasets`' order.
    private static func writers(_ chunks: [ActivationsLayout.Dataset: HDF5ChunkWriter]) -> [HDF5ChunkWriter] {
        numericDatasets.compactMap { chunks[$0] }
    }

    /// Starts the group of `condition`; its datasets begin empty (`token_offsets` = `[0]`).
    public func beginCondition(_ condition: String) throws {
        precondition(current == nil, "beginCondition: \(current!.name) was not ended")
        let group = try conditionsGroup.createGroup(condition)
        let layers = header.numLayers, levels = header.levels, d = header.hiddenSize
        func rows(_ rowBytes: Int) -> Int { max(1, Self.chunkBytes / max(rowBytes, 1)) }
        typealias D = ActivationsLayout.Dataset
        let ids = try group.createStringDataset(D.ids.rawValue, count: 0, chunk: 4096, extendible: true)
        var datasets: [D: HDF5Dataset] = [:]
        datasets[.split] = try group.createDataset(D.split.rawValue, of: UInt8.self, shape: [0], chunk: [rows(1)], extendible: true)
        datasets[.tokenOffsets] = try group.createDataset(D.tokenOffsets.rawValue, of: Int64.self, shape: [0], chunk: [rows(8)], extendible: true)
        datasets[.tokenIDs] = try group.createDataset(D.tokenIDs.rawValue, of: Int32.self, shape: [0], chunk: [rows(4)], extendible: true)
        datasets[.truncated] = try group.createDataset(D.truncated.rawValue, of: UInt8.self, shape: [0], chunk: [rows(1)], extendible: true)
        var layered: [(D, Int)] = [(.tokenPerturbations, levels), (.promptPerturbations, levels), (.hiddenMean, d)]
        if poolings {
            layered += (sink ? [(.hiddenMeanAllTokens, d)] : []) + [(.hiddenLastToken, d), (.hiddenWindows, d)]
            datasets[.windowOffsets] = try group.createDataset(D.windowOffsets.rawValue, of: Int64.self, shape: [0], chunk: [rows(8)], extendible: true)
        }
        for (dataset, width) in layered {
            datasets[dataset] = try group.createDataset(
                dataset.rawValue, of: Float.self, shape: [0, layers, width],
                chunk: [rows(layers * width * 4), layers, width], extendible: true)
        }
        datasets[.hiddenLast] = try group.createDataset(D.hiddenLast.rawValue, of: Float.self, shape: [0, d], chunk: [rows(d * 4), d], extendible: true)
        let chunks = try datasets.mapValues(HDF5ChunkWriter.init)
        try chunks[.tokenOffsets]!.append([Int64(0)], rowCount: 1)
        try chunks[.windowOffsets]?.append([Int64(0)], rowCount: 1)
        current = (condition, ids, chunks, 0, 0)
    }

    /// Appends the next prompts of the current condition.
    public func append(_ batch: ConditionBatch) throws {
        guard var state = current else { preconditionFailure("append: no condition begun") }
        try batch.validate(layers: header.numLayers, hiddenSize: header.hiddenSize, levels: header.levels, poolings: poolings, sink: sink)
        let n = batch.promptCount, t = batch.tokenCount
        let chunks = state.chunks
        var offsets: [Int64] = []
        offsets.reserveCapacity(n)
        for count in batch.tokenCounts {
            state.tokens += Int64(count)
            offsets.append(state.tokens)
        }
        try state.ids.appendStrings(batch.ids)
        try chunks[.split]!.append(batch.splits, rowCount: n)
        try chunks[.tokenOffsets]!.append(offsets, rowCount: n)
        try chunks[.tokenIDs]!.append(batch.tokenIDs, rowCount: t)
        try chunks[.truncated]!.append(batch.truncated, rowCount: n)
        try chunks[.tokenPerturbations]!.append(batch.tokenPerturbations, rowCount: t)
        try chunks[.promptPerturbations]!.append(batch.promptPerturbations, rowCount: n)
        try chunks[.hiddenMean]!.append(batch.hiddenMean, rowCount: n)
        try chunks[.hiddenLast]!.append(batch.hiddenLast, rowCount: n)
        if poolings {
            var windowOffsets: [Int64] = []
            windowOffsets.reserveCapacity(n)
            for count in batch.windowCounts {
                state.windows += Int64(count)
                windowOffsets.append(state.windows)
            }
            try chunks[.hiddenMeanAllTokens]?.append(batch.hiddenMeanAllTokens, rowCount: n)
            try chunks[.hiddenLastToken]!.append(batch.hiddenLastToken, rowCount: n)
            try chunks[.windowOffsets]!.append(windowOffsets, rowCount: n)
            try chunks[.hiddenWindows]!.append(batch.hiddenWindows, rowCount: batch.windowCount)
        }
        try HDF5ChunkWriter.writeCompleteChunks(of: Self.writers(chunks))
        current = state
    }

    /// Ends the current condition: the last, partial chunks of its datasets are written.
    public func endCondition() throws {
        guard let state = current else { preconditionFailure("endCondition: no condition begun") }
        current = nil
        let writers = Self.writers(state.chunks)
        for writer in writers { writer.finish() }
        try HDF5ChunkWriter.writeCompleteChunks(of: writers)
    }

    /// Copies a finished file into one whose bytes depend only on its content (`HDF5File.writeCanonicalCopy`).
    public static func writeCanonicalCopy(of source: URL, to destination: URL) throws {
        let file = try HDF5File(url: source, mode: .readOnly)
        try file.writeCanonicalCopy(to: destination)
        try file.close()
    }

    public func close() throws {
        precondition(current == nil, "close: condition \(current?.name ?? "") was not ended")
        try file.close()
    }
}
