import Foundation
import HDF5

/// The per-prompt index of one condition: which prompts, which split, where their tokens are.
public struct ConditionIndex: Sendable, Equatable {
    public var ids: [String]
    /// 0 train, 1 heldout.
    public var splits: [UInt8]
    /// Prompt `i`'s token rows are `tokenOffsets[i] ..< tokenOffsets[i + 1]`.
    public var tokenOffsets: [Int]
    public var truncated: [UInt8]

    public var count: Int { ids.count }
}

/// Reads an activations file written by `extract`, checking its format, version and shapes first.
public final class ActivationsReader {
    public let url: URL
    public let header: ActivationsHeader
    private let file: HDF5File

    public init(url: URL) throws {
        self.url = url
        file = try HDF5File(url: url, mode: .readOnly)
        header = try Self.readHeader(file.root, path: url.path)
        let conditions = try file.root.contains(ActivationsLayout.conditionsGroup)
            ? try file.root.openGroup(ActivationsLayout.conditionsGroup) : nil
        for condition in header.conditions where try conditions?.contains(condition) != true {
            throw ActivationsError.missingCondition(path: url.path, condition: condition)
        }
    }

    private static func readHeader(_ root: HDF5Group, path: String) throws -> ActivationsHeader {
        typealias A = ActivationsLayout.Attribute
        guard try root.hasAttribute(A.format.rawValue),
              try root.stringAttribute(A.format.rawValue) == ActivationsLayout.format else {
            throw ActivationsError.notActivationsFile(path: path, detail: "no format attribute \"\(ActivationsLayout.format)\"")
        }
        func int(_ a: A) throws -> Int {
            guard try root.hasAttribute(a.rawValue) else { throw ActivationsError.badAttribute(path: path, attribute: a.rawValue, detail: "missing") }
            return try root.intAttribute(a.rawValue)
        }
        func string(_ a: A) throws -> String {
            guard try root.hasAttribute(a.rawValue) else { throw ActivationsError.badAttribute(path: path, attribute: a.rawValue, detail: "missing") }
            return try root.stringAttribute(a.rawValue)
        }
        func decoded<T: Decodable>(_ a: A, as type: T.Type) throws -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(try string(a).utf8))
            } catch let error as ActivationsError {
                throw error
            } catch {
                throw ActivationsError.badAttribute(path: path, attribute: a.rawValue, detail: "not the expected JSON (\(error))")
            }
        }
        let version = try int(.formatVersion)
        guard version == ActivationsLayout.formatVersion else { throw ActivationsError.unsupportedVersion(path: path, version: version) }
        let modelType = try string(.modelType)
        // No `pooling`: written before it existed, so every content token was pooled ("mean").
        let pooling = try root.hasAttribute(A.pooling.rawValue) ? try string(.pooling) : "mean"
        guard ActivationsLayout.poolings.contains(pooling) else {
            throw ActivationsError.badAttribute(path: path, attribute: A.pooling.rawValue,
                                                detail: "\"\(pooling)\" is not one of \(ActivationsLayout.poolings.joined(separator: ", "))")
        }
        let required = ActivationsLayout.requiredPooling(modelType: modelType)
        guard pooling == required else {
            throw ActivationsError.outdatedPooling(path: path, modelType: modelType, pooling: pooling, required: required)
        }
        let header = ActivationsHeader(
            modelType: try string(.modelType), modelPath: try string(.modelPath), modelSHA256: try string(.modelSHA256),
            numLayers: try int(.numLayers), hiddenSize: try int(.hiddenSize), maxTokens: try int(.maxTokens),
            catalogSHA256: try string(.catalogSHA256), contrasts: try decoded(.contrasts, as: [Contrast].self),
            conditions: try decoded(.conditions, as: [String].self),
            shardIndex: try int(.shardIndex), shardCount: try int(.shardCount), pooling: pooling)
        guard try int(.levels) == ActivationsLayout.levels else {
            throw ActivationsError.badAttribute(path: path, attribute: A.levels.rawValue, detail: "expected \(ActivationsLayout.levels)")
        }
        guard header.numLayers >= 1, header.hiddenSize >= 1 else {
            throw ActivationsError.badAttribute(path: path, attribute: A.numLayers.rawValue, detail: "num_layers and hidden_size must be positive")
        }
        guard header.shardCount >= 1, (0..<header.shardCount).contains(header.shardIndex) else {
            throw ActivationsError.badAttribute(path: path, attribute: A.shardIndex.rawValue, detail: "\(header.shardIndex)/\(header.shardCount) is not a shard")
        }
        return header
    }

    private func dataset(_ condition: String, _ name: ActivationsLayout.Dataset) throws -> HDF5Dataset {
        guard header.conditions.contains(condition) else {
            throw ActivationsError.missingCondition(path: url.path, condition: condition)
        }
        return try file.root.openGroup(ActivationsLayout.conditionsGroup).openGroup(condition).openDataset(name.rawValue)
    }

    /// Reads a dataset after checking its shape: `nil` extents are free, the rest must match.
    private func read<T: HDF5Numeric>(_ condition: String, _ name: ActivationsLayout.Dataset, _ shape: [Int?], as: T.Type) throws -> [T] {
        let dataset = try dataset(condition, name)
        _ = try dataset.requireShape(shape)
        return try dataset.read(as: T.self)
    }

    /// The prompts of `condition`, with their splits and token offsets, checked for consistency.
    public func index(of condition: String) throws -> ConditionIndex {
        let ids = try dataset(condition, .ids).readStrings()
        let n = ids.count
        let index = ConditionIndex(
            ids: ids,
            splits: try read(condition, .split, [n], as: UInt8.self),
            tokenOffsets: try read(condition, .tokenOffsets, [n + 1], as: Int64.self).map { Int($0) },
            truncated: try read(condition, .truncated, [n], as: UInt8.self))
        let where_ = "/\(ActivationsLayout.conditionsGroup)/\(condition)"
        if let bad = index.splits.first(where: { $0 > 1 }) {
            throw ActivationsError.badDataset(path: url.path, dataset: "\(where_)/split", detail: "value \(bad) is neither 0 (train) nor 1 (heldout)")
        }
        let offsets = index.tokenOffsets
        guard offsets.first == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ActivationsError.badDataset(path: url.path, dataset: "\(where_)/token_offsets", detail: "must start at 0 and increase (every prompt has a token)")
        }
        return index
    }

    /// `[n, layers, 64]`.
    public func promptPerturbations(_ condition: String, prompts n: Int) throws -> [Float] {
        try finite(read(condition, .promptPerturbations, [n, header.numLayers, header.levels], as: Float.self), condition, .promptPerturbations)
    }

    /// `[n, layers, d]`.
    public func hiddenMean(_ condition: String, prompts n: Int) throws -> [Float] {
        try finite(read(condition, .hiddenMean, [n, header.numLayers, header.hiddenSize], as: Float.self), condition, .hiddenMean)
    }

    /// `[n, d]`.
    public func hiddenLast(_ condition: String, prompts n: Int) throws -> [Float] {
        try finite(read(condition, .hiddenLast, [n, header.hiddenSize], as: Float.self), condition, .hiddenLast)
    }

    /// Whether `condition` has the dataset `name`: the other hidden poolings are optional (issue #14).
    public func has(_ condition: String, _ name: ActivationsLayout.Dataset) throws -> Bool {
        guard header.conditions.contains(condition) else {
            throw ActivationsError.missingCondition(path: url.path, condition: condition)
        }
        return try file.root.openGroup(ActivationsLayout.conditionsGroup).openGroup(condition).contains(name.rawValue)
    }

    /// `[n, layers, d]`, or `nil` in a file without it (extracted before it, or a model without a sink).
    public func hiddenMeanAllTokens(_ condition: String, prompts n: Int) throws -> [Float]? {
        try has(condition, .hiddenMeanAllTokens) ? try layered(condition, .hiddenMeanAllTokens, rows: n) : nil
    }

    /// `[n, layers, d]`, or `nil` in a file extracted before it.
    public func hiddenLastToken(_ condition: String, prompts n: Int) throws -> [Float]? {
        try has(condition, .hiddenLastToken) ? try layered(condition, .hiddenLastToken, rows: n) : nil
    }

    /// `[n + 1]`: prompt `i`'s windows are rows `offsets[i] ..< offsets[i + 1]` of `hidden_windows`;
    /// `nil` in a file extracted before them.
    public func windowOffsets(_ condition: String, prompts n: Int) throws -> [Int]? {
        guard try has(condition, .windowOffsets) else { return nil }
        let offsets = try read(condition, .windowOffsets, [n + 1], as: Int64.self).map { Int($0) }
        guard offsets.first == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ActivationsError.badDataset(path: url.path, dataset: "/\(ActivationsLayout.conditionsGroup)/\(condition)/\(ActivationsLayout.Dataset.windowOffsets.rawValue)",
                                              detail: "must start at 0 and increase (every prompt has a window)")
        }
        return offsets
    }

    /// `[w, layers, d]`, `w` the last window offset; `nil` in a file extracted before them.
    public func hiddenWindows(_ condition: String, windows w: Int) throws -> [Float]? {
        try has(condition, .hiddenWindows) ? try layered(condition, .hiddenWindows, rows: w) : nil
    }

    private func layered(_ condition: String, _ name: ActivationsLayout.Dataset, rows: Int) throws -> [Float] {
        try finite(read(condition, name, [rows, header.numLayers, header.hiddenSize], as: Float.self), condition, name)
    }

    /// `[t]`.
    public func tokenIDs(_ condition: String, tokens t: Int) throws -> [Int32] {
        try read(condition, .tokenIDs, [t], as: Int32.self)
    }

    /// Token rows `rows` of `[t, layers, 64]`.
    public func tokenPerturbations(_ condition: String, tokens t: Int, rows: Range<Int>) throws -> [Float] {
        let dataset = try dataset(condition, .tokenPerturbations)
        _ = try dataset.requireShape([t, header.numLayers, header.levels])
        return try finite(dataset.readRows(rows, as: Float.self), condition, .tokenPerturbations)
    }

    /// NaN or infinite activations are refused where they are read, naming the dataset.
    private func finite(_ values: [Float], _ condition: String, _ name: ActivationsLayout.Dataset) throws -> [Float] {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw ActivationsError.badDataset(path: url.path, dataset: "/\(ActivationsLayout.conditionsGroup)/\(condition)/\(name.rawValue)",
                                              detail: "value \(values[i]) at flat index \(i) is not finite")
        }
        return values
    }
}
