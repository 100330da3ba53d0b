import Foundation
import LinearAlgebra
import SafeTensors
import Tokenizers

/// What the extract stage records about a detector model.
public struct ModelDescription: Sendable, Equatable {
    /// `config.json`'s `model_type`: `"llama"` or `"bert"`.
    public let modelType: String
    /// Transformer blocks, `L`.
    public let numBlocks: Int
    /// Hidden states per token, `L + 1`: the embedding output, then one per block.
    public var numLayers: Int { numBlocks + 1 }
    public let hiddenSize: Int
    public let vocabularySize: Int
    /// The longest prompt (special tokens included) the model takes: `max_position_embeddings`.
    public let maxPositions: Int
}

/// The hidden states of one prompt, every layer: `values` is `[layers, tokens, hiddenSize]`,
/// row-major. Layer 0 is the embedding output, layer `i` the output of block `i`; for `llama` the
/// last layer is taken after the final RMSNorm, as transformers' `output_hidden_states` gives it.
public struct HiddenStates: Sendable, Equatable {
    public let layers: Int
    public let tokens: Int
    public let hiddenSize: Int
    public var values: [Float]  // [layers, tokens, hiddenSize]

    public init(layers: Int, tokens: Int, hiddenSize: Int, values: [Float]) {
        precondition(values.count == layers * tokens * hiddenSize,
                     "HiddenStates: \(values.count) values do not fill [\(layers), \(tokens), \(hiddenSize)]")
        self.layers = layers
        self.tokens = tokens
        self.hiddenSize = hiddenSize
        self.values = values
    }

    /// The hidden state of `token` at `layer`: `hiddenSize` values.
    public func vector(layer: Int, token: Int) -> ArraySlice<Float> {
        precondition((0..<layers).contains(layer) && (0..<tokens).contains(token),
                     "HiddenStates: (layer \(layer), token \(token)) outside [\(layers), \(tokens)]")
        let start = (layer * tokens + token) * hiddenSize
        return values[start..<(start + hiddenSize)]
    }
}

/// A detector model loaded from a Hugging Face snapshot folder (`config.json`, `model.safetensors`
/// or a sharded `model.safetensors.index.json`, `tokenizer.json`), computing the hidden states of
/// every layer in float32, matching transformers' float32 forward.
///
/// Prompts are run in packed batches: the tokens of all prompts of a batch are concatenated into one
/// `[tokens, hidden]` matrix for every dense layer (no padding, so no work on padding), and
/// attention runs prompt by prompt, so each prompt sees only itself, exactly as if it were alone.
/// Dense layers use `matrixKernel` (the packed AVX-512 kernel where the CPU has it, else OpenBLAS),
/// on `BLAS.threadCount` threads; attention's small products use OpenBLAS.
///
/// Immutable after loading, and safe to share between threads: forward passes from several threads
/// run one after another, as each already uses as many threads as BLAS is given.
public final class Detector: Sendable {
    public let description: ModelDescription
    public let tokenizer: Tokenizer
    /// The weights file (or the shard index) the extract stage hashes into `model_sha256`.
    public let weightsFile: URL
    private let model: any HiddenStateModel
    /// The routine of the dense layers' products.
    public let matrixKernel: MatrixKernel
    private let forwardLock = NSLock()

    /// A model folder (`init(directory:)`) or a GGUF file (`init(gguf:)`): a path that is a file, or
    /// that ends in `.gguf` (so that a mistyped one is reported as a missing file), is read as GGUF.
    public convenience init(model url: URL, matrixKernel: MatrixKernel = .preferred) throws {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        if (exists && !isDirectory.boolValue) || (!exists && url.pathExtension == "gguf") {
            try self.init(gguf: url, matrixKernel: matrixKernel)
        } else {
            try self.init(directory: url, matrixKernel: matrixKernel)
        }
    }

    /// Loads a `llama` GGUF file: configuration from `llama.*`, tensors dequantized (Q/K rows
    /// un-permuted), tokenizer from `tokenizer.ggml.*`, as transformers' `from_pretrained(dir, gguf_file=…)`.
    public init(gguf url: URL, matrixKernel: MatrixKernel = .preferred) throws {
        let parts = try GGUFDetectorParts(url: url)
        model = try LlamaModel(configuration: parts.configuration, checkpoint: parts.weights, kernel: matrixKernel)
        self.matrixKernel = matrixKernel
        description = model.description
        weightsFile = url
        tokenizer = parts.tokenizer
    }

    /// Loads `config.json`, the weights (strictly: see `DetectorModelsError`) and the tokenizer.
    public init(directory: URL, matrixKernel: MatrixKernel = .preferred) throws {
        let architecture = try Architecture.load(directory: directory)
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        switch architecture {
        case let .llama(configuration):
            model = try LlamaModel(configuration: configuration, checkpoint: checkpoint, kernel: matrixKernel)
        case let .bert(configuration):
            model = try BertModel(configuration: configuration, checkpoint: checkpoint, kernel: matrixKernel)
        }
        self.matrixKernel = matrixKernel
        description = model.description
        weightsFile = checkpoint.weightsFile
        tokenizer = try Tokenizer(directory: directory)
    }

    /// The most content tokens one prompt can keep: the position table less the post-processor's
    /// special tokens (all-MiniLM-L6-v2: 512 − 2 = 510).
    public var maxContentTokens: Int { description.maxPositions - tokenizer.specialTokenCount }

    /// Refuses a `--max-tokens` the model cannot take, before any work (rather than at the first
    /// prompt long enough to reach it).
    public func checkMaxContentTokens(_ requested: Int, option: String = "--max-tokens") throws {
        guard requested <= maxContentTokens else {
            throw DetectorModelsError.tooManyContentTokens(option: option, requested: requested, maximum: maxContentTokens,
                                                           positions: description.maxPositions, special: tokenizer.specialTokenCount)
        }
    }

    /// Tokenizes `text`: at most `maxContentTokens` content tokens (all of them for `nil`: then the
    /// encoding may be longer than the model takes, for a caller that cuts it into windows), then the
    /// post-processor's special tokens (which run through the model; callers drop them from outputs with
    /// `isSpecial`).
    public func encode(_ text: String, maxContentTokens: Int?) -> Encoding {
        tokenizer.encode(text, maxContentTokens: maxContentTokens)
    }

    /// Hidden states of every layer for a batch of encoded prompts (packed, no padding), one
    /// `HiddenStates` per prompt, in order. Each prompt's result is what it would be alone.
    /// With `throughLayer`, only layers `0...throughLayer` are computed and returned (a scorer that reads
    /// no later layer skips the blocks after it; the layers it gets are the same numbers).
    public func hiddenStates(_ batch: [Encoding], throughLayer: Int? = nil) throws -> [HiddenStates] {
        try hiddenStates(tokenIDs: batch.map(\.ids), throughLayer: throughLayer)
    }

    /// The same, from token ids.
    public func hiddenStates(tokenIDs batch: [[Int32]], throughLayer: Int? = nil) throws -> [HiddenStates] {
        let packed = try PackedBatch(batch, description: description)
        let last = throughLayer ?? description.numLayers - 1
        precondition((0..<description.numLayers).contains(last), "hiddenStates: layer \(last) of \(description.numLayers)")
        let layers = last + 1, hidden = description.hiddenSize, n = packed.tokenCount
        guard n > 0 else {
            return batch.map { _ in HiddenStates(layers: layers, tokens: 0, hiddenSize: hidden, values: []) }
        }
        let states = UnsafeMutablePointer<Float>.allocate(capacity: layers * n * hidden)  // [layers, tokens, hidden]
        defer { states.deallocate() }
        forwardLock.withLock { model.forward(packed, layers: layers, into: states) }
        return (0..<packed.count).map { prompt in
            let rows = packed.rows(prompt)
            let values = [Float](unsafeUninitializedCapacity: layers * rows.count * hidden) { buffer, count in
                for layer in 0..<layers {
                    let source = states + (layer * n + rows.lowerBound) * hidden
                    (buffer.baseAddress! + layer * rows.count * hidden).initialize(from: source, count: rows.count * hidden)
                }
                count = layers * rows.count * hidden
            }
            return HiddenStates(layers: layers, tokens: rows.count, hiddenSize: hidden, values: values)
        }
    }
}

/// The forward pass an architecture provides.
protocol HiddenStateModel: Sendable {
    var description: ModelDescription { get }
    /// Writes the hidden states of the first `layers` layers (`1…numLayers`: the embeddings, then one per
    /// block run), `[layers, batch.tokenCount, hiddenSize]`; the blocks after them are not run.
    func forward(_ batch: PackedBatch, layers: Int, into states: UnsafeMutablePointer<Float>)
}

/// Prompts packed row after row: prompt `p` is rows `offsets[p] ..< offsets[p + 1]`.
struct PackedBatch: Sendable {
    let ids: [Int32]     // [tokens]
    let offsets: [Int]   // [prompts + 1]
    /// The longest prompt, for the attention scratch and the RoPE tables.
    let longest: Int

    var count: Int { offsets.count - 1 }
    var tokenCount: Int { ids.count }
    func rows(_ prompt: Int) -> Range<Int> { offsets[prompt]..<offsets[prompt + 1] }

    /// The prompt that row `row` belongs to (binary search over `offsets`; empty prompts skipped).
    func prompt(containing row: Int) -> Int {
        var low = 0, high = count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= row { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// Checks every id against the vocabulary and every length against the position table.
    init(_ prompts: [[Int32]], description: ModelDescription) throws {
        var offsets = [0]
        offsets.reserveCapacity(prompts.count + 1)
        for (index, prompt) in prompts.enumerated() {
            guard prompt.count <= description.maxPositions else {
                throw DetectorModelsError.sequenceTooLong(prompt: index, tokens: prompt.count, maximum: description.maxPositions)
            }
            if let bad = prompt.first(where: { $0 < 0 || Int($0) >= description.vocabularySize }) {
                throw DetectorModelsError.tokenOutOfRange(prompt: index, id: bad, vocabularySize: description.vocabularySize)
            }
            offsets.append(offsets[offsets.count - 1] + prompt.count)
        }
        self.ids = prompts.flatMap { $0 }
        self.offsets = offsets
        self.longest = prompts.map(\.count).max() ?? 0
    }
}
