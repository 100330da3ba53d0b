import CodebookRuntime
import Foundation

/// The prompt-level activations of one condition, in catalog order.
public struct ConditionActivations: Sendable {
    public var name: String
    public var index: ConditionIndex
    public var layers: Int
    public var hiddenSize: Int
    public var promptPerturbations: [Float]  // [n, layers, 64]
    public var hiddenMean: [Float]           // [n, layers, d]
    /// The other poolings of the hidden states (issue #14), `nil` in files extracted before them, and
    /// `hiddenMeanAllTokens` also for a model without an attention sink (where it is `hiddenMean`).
    public var hiddenMeanAllTokens: [Float]? = nil  // [n, layers, d]
    public var hiddenLastToken: [Float]? = nil      // [n, layers, d]
    /// Prompt `i`'s windows are rows `windowOffsets[i] ..< windowOffsets[i + 1]` of `hiddenWindows`.
    public var windowOffsets: [Int]? = nil          // [n + 1]
    public var hiddenWindows: [Float]? = nil        // [w, layers, d]

    public var count: Int { index.count }

    /// The poolings this file has: `mean` always, and each other whose dataset is present. A model
    /// without a sink has `mean_all_tokens` too, as its `mean`.
    package func poolings(modelType: String) -> [HiddenPooling] {
        HiddenPooling.available(modelType: modelType).filter { pooling in
            switch pooling {
            case .mean: true
            case .meanAllTokens: hiddenMeanAllTokens != nil
            case .lastToken: hiddenLastToken != nil
            case .windowMax: windowOffsets != nil && hiddenWindows != nil
            }
        }
    }

    /// What a hidden-space scorer with `pooling` reads of prompt `i` at `layer`: one vector of `d`
    /// values, or one per window (`PromptStates.features`, as extract stored them).
    package func hidden(_ i: Int, layer: Int, pooling: HiddenPooling) -> [ArraySlice<Float>] {
        allLayers(i, pooling: pooling).map { $0.dropFirst(layer * hiddenSize).prefix(hiddenSize) }
    }

    /// What the multi-layer probe reads of prompt `i` with `pooling`: `hidden` at every layer,
    /// concatenated layer after layer (`layers · d` values: a row of the `[_, layers, d]` datasets),
    /// one vector or one per window.
    package func allLayers(_ i: Int, pooling: HiddenPooling) -> [ArraySlice<Float>] {
        let width = layers * hiddenSize
        func row(_ values: [Float], _ r: Int) -> ArraySlice<Float> { values[(r * width)..<((r + 1) * width)] }
        switch pooling {
        case .mean: return [row(hiddenMean, i)]
        case .meanAllTokens: return [row(hiddenMeanAllTokens ?? hiddenMean, i)]
        case .lastToken: return [row(hiddenLastToken!, i)]
        case .windowMax:
            let offsets = windowOffsets!, windows = hiddenWindows!
            return (offsets[i]..<offsets[i + 1]).map { row(windows, $0) }
        }
    }

    /// Prompt `i`'s perturbation at `layer` (64 values).
    public func promptPerturbation(_ i: Int, layer: Int) -> ArraySlice<Float> {
        let start = (i * layers + layer) * ActivationsLayout.levels
        return promptPerturbations[start..<(start + ActivationsLayout.levels)]
    }

    /// Prompt `i`'s mean hidden state at `layer` (`d` values).
    public func hiddenMean(_ i: Int, layer: Int) -> ArraySlice<Float> {
        let start = (i * layers + layer) * hiddenSize
        return hiddenMean[start..<(start + hiddenSize)]
    }
}

/// One extraction, read from a single file or merged from its shard files (`extract --shard i/n`):
/// the shards must agree on the model, the catalog and the settings, and cover `0..<n` once each.
/// Prompts come back in catalog order whatever the number of shards.
public final class ActivationsSet {
    public let files: [ActivationsReader]
    /// The shared header (shard fields as for an unsharded file).
    public let header: ActivationsHeader

    public init(urls: [URL]) throws {
        precondition(!urls.isEmpty, "ActivationsSet needs at least one file")
        let readers = try urls.map { try ActivationsReader(url: $0) }
        let first = readers[0]
        let count = first.header.shardCount
        var seen = Set<Int>()
        for reader in readers {
            // Shards differ in their index, and may have run with the model at another path.
            var a = reader.header, b = first.header
            (a.shardIndex, b.shardIndex) = (0, 0)
            (a.modelPath, b.modelPath) = ("", "")
            if a != b {
                let field = a.modelSHA256 != b.modelSHA256 ? "model_sha256" : a.catalogSHA256 != b.catalogSHA256 ? "catalog_sha256"
                    : a.maxTokens != b.maxTokens ? "max_tokens" : a.shardCount != b.shardCount ? "shard_count" : a.pooling != b.pooling ? "pooling" : "header"
                throw ActivationsError.shardsDisagree(path: reader.url.path, other: first.url.path, detail: "\(field) differs")
            }
            guard seen.insert(reader.header.shardIndex).inserted else {
                throw ActivationsError.incompleteShards(detail: "shard \(reader.header.shardIndex)/\(count) given twice (\(reader.url.path))")
            }
        }
        guard seen.count == count else {
            let missing = (0..<count).filter { !seen.contains($0) }.map { "\($0)/\(count)" }
            throw ActivationsError.incompleteShards(detail: "missing \(missing.joined(separator: ", ")) of \(first.url.path)'s extraction")
        }
        files = readers.sorted { $0.header.shardIndex < $1.header.shardIndex }
        var header = first.header
        (header.shardIndex, header.shardCount) = (0, 1)
        self.header = header
    }

    public convenience init(url: URL) throws { try self.init(urls: [url]) }

    /// For each catalog position, which shard file and which row there: prompt `j` of shard `i`
    /// is catalog position `j · n + i`.
    private func order(_ indices: [ConditionIndex], condition: String) throws -> [(file: Int, row: Int)] {
        let n = files.count, total = indices.reduce(0) { $0 + $1.count }
        var order = [(file: Int, row: Int)](repeating: (0, 0), count: total)
        for (i, index) in indices.enumerated() {
            guard index.count == (total - i + n - 1) / n else {
                throw ActivationsError.incompleteShards(detail: "\(files[i].url.path): \(condition) has \(index.count) prompts, a shard \(i)/\(n) of \(total) has \((total - i + n - 1) / n)")
            }
            for j in 0..<index.count { order[j * n + i] = (i, j) }
        }
        return order
    }

    /// The conditions present, in catalog order.
    public var conditions: [String] { header.conditions }

    /// Prompt-level activations of `condition`, merged across shards in catalog order.
    public func condition(_ name: String) throws -> ConditionActivations {
        let indices = try files.map { try $0.index(of: name) }
        let perturbations = try zip(files, indices).map { try $0.promptPerturbations(name, prompts: $1.count) }
        let means = try zip(files, indices).map { try $0.hiddenMean(name, prompts: $1.count) }
        // The other poolings (issue #14), each only where every file has it: a shard extracted before
        // them leaves them out of the merge rather than refusing it.
        func all<T>(_ values: [T?]) -> [T]? { values.contains { $0 == nil } ? nil : values.map { $0! } }
        let meansAllTokens = all(try zip(files, indices).map { try $0.hiddenMeanAllTokens(name, prompts: $1.count) })
        let lastTokens = all(try zip(files, indices).map { try $0.hiddenLastToken(name, prompts: $1.count) })
        let windowOffsets = all(try zip(files, indices).map { try $0.windowOffsets(name, prompts: $1.count) })
        let windows = try windowOffsets.flatMap { offsets in
            all(try zip(files, offsets).map { try $0.hiddenWindows(name, windows: $1.last!) })
        }
        let layers = header.numLayers, d = header.hiddenSize, levels = ActivationsLayout.levels
        if files.count == 1 {
            var single = ConditionActivations(name: name, index: indices[0], layers: layers, hiddenSize: d,
                                              promptPerturbations: perturbations[0], hiddenMean: means[0])
            single.hiddenMeanAllTokens = meansAllTokens?[0]
            single.hiddenLastToken = lastTokens?[0]
            (single.windowOffsets, single.hiddenWindows) = windows == nil ? (nil, nil) : (windowOffsets![0], windows![0])
            return single
        }
        var merged = ConditionActivations(
            name: name, index: ConditionIndex(ids: [], splits: [], tokenOffsets: [0], truncated: []),
            layers: layers, hiddenSize: d, promptPerturbations: [], hiddenMean: [])
        if meansAllTokens != nil { merged.hiddenMeanAllTokens = [] }
        if lastTokens != nil { merged.hiddenLastToken = [] }
        if windows != nil { (merged.windowOffsets, merged.hiddenWindows) = ([0], []) }
        let size = layers * d  // values of one row of [_, layers, d]
        for (file, row) in try order(indices, condition: name) {
            let index = indices[file]
            merged.index.ids.append(index.ids[row])
            merged.index.splits.append(index.splits[row])
            merged.index.truncated.append(index.truncated[row])
            let tokens = index.tokenOffsets[row + 1] - index.tokenOffsets[row]
            merged.index.tokenOffsets.append(merged.index.tokenOffsets.last! + tokens)
            merged.promptPerturbations += perturbations[file][(row * layers * levels)..<((row + 1) * layers * levels)]
            merged.hiddenMean += means[file][(row * size)..<((row + 1) * size)]
            if let meansAllTokens { merged.hiddenMeanAllTokens! += meansAllTokens[file][(row * size)..<((row + 1) * size)] }
            if let lastTokens { merged.hiddenLastToken! += lastTokens[file][(row * size)..<((row + 1) * size)] }
            if let windows {
                // Windows are ragged: the prompt's own window rows, as tokens are.
                let rows = windowOffsets![file][row]..<windowOffsets![file][row + 1]
                merged.windowOffsets!.append(merged.windowOffsets!.last! + rows.count)
                merged.hiddenWindows! += windows[file][(rows.lowerBound * size)..<(rows.upperBound * size)]
            }
        }
        return merged
    }

    /// Every token's perturbation at `layer` (`[t, 64]`, catalog order, rows as in the merged
    /// `index.tokenOffsets`), read in blocks so memory holds one block of all layers at a time.
    public func tokenPerturbations(_ name: String, layer: Int) throws -> [Float] {
        let levels = ActivationsLayout.levels, layers = header.numLayers
        precondition((0..<layers).contains(layer), "layer \(layer) out of 0..<\(layers)")
        var perFile: [[Float]] = []
        var indices: [ConditionIndex] = []
        for file in files {
            let index = try file.index(of: name)
            let t = index.tokenOffsets.last ?? 0
            var values = [Float]()
            values.reserveCapacity(t * levels)
            let block = max(1, (1 << 22) / (layers * levels))
            for start in stride(from: 0, to: t, by: block) {
                let rows = try file.tokenPerturbations(name, tokens: t, rows: start..<min(start + block, t))
                for r in 0..<(rows.count / (layers * levels)) {
                    let base = (r * layers + layer) * levels
                    values += rows[base..<(base + levels)]
                }
            }
            perFile.append(values)
            indices.append(index)
        }
        if files.count == 1 { return perFile[0] }
        var merged = [Float]()
        for (file, row) in try order(indices, condition: name) {
            let offsets = indices[file].tokenOffsets
            merged += perFile[file][(offsets[row] * levels)..<(offsets[row + 1] * levels)]
        }
        return merged
    }
}
