import Foundation
import LinearAlgebra
import SafeTensors

// BERT (all-MiniLM-L6-v2): word + absolute position + token-type embeddings and LayerNorm, then
// post-LN encoder blocks with bidirectional attention and the exact erf GELU. Follows transformers'
// `modeling_bert.py` (5.x) operation by operation.

/// `config.json` of a `bert` checkpoint, with transformers' defaults.
struct BertConfiguration: Codable, Sendable, Equatable {
    var vocabularySize: Int
    var hiddenSize: Int
    var blocks: Int
    var attentionHeads: Int
    var intermediateSize: Int
    var hiddenActivation: String
    var layerNormEpsilon: Double
    var maxPositionEmbeddings: Int
    var typeVocabularySize: Int
    var positionEmbeddingType: String
    var isDecoder: Bool

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case blocks = "num_hidden_layers"
        case attentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case hiddenActivation = "hidden_act"
        case layerNormEpsilon = "layer_norm_eps"
        case maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case positionEmbeddingType = "position_embedding_type"
        case isDecoder = "is_decoder"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? 30522
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        blocks = try c.decode(Int.self, forKey: .blocks)
        attentionHeads = try c.decode(Int.self, forKey: .attentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "gelu"
        layerNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? 1e-12
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        typeVocabularySize = try c.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? 2
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
        isDecoder = try c.decodeIfPresent(Bool.self, forKey: .isDecoder) ?? false
    }

    /// Refuses what the forward pass below does not compute.
    func validate(path: String) throws {
        func unsupported(_ key: String, _ value: String, _ supported: String) -> DetectorModelsError {
            .unsupportedSetting(path: path, key: key, value: value, supported: supported)
        }
        let sizes = [("vocab_size", vocabularySize), ("hidden_size", hiddenSize), ("num_hidden_layers", blocks),
                     ("num_attention_heads", attentionHeads), ("intermediate_size", intermediateSize),
                     ("max_position_embeddings", maxPositionEmbeddings), ("type_vocab_size", typeVocabularySize)]
        for (key, value) in sizes where value <= 0 {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "\(key) = \(value) must be positive")
        }
        guard hiddenSize % attentionHeads == 0 else {
            throw DetectorModelsError.invalidConfiguration(
                path: path, reason: "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(attentionHeads)")
        }
        guard layerNormEpsilon > 0 else {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "layer_norm_eps \(layerNormEpsilon) must be positive")
        }
        // transformers' "gelu" is the exact erf GELU; the tanh approximations are other functions.
        guard hiddenActivation == "gelu" else { throw unsupported("hidden_act", "\"\(hiddenActivation)\"", "\"gelu\" (erf)") }
        guard positionEmbeddingType == "absolute" else {
            throw unsupported("position_embedding_type", "\"\(positionEmbeddingType)\"", "\"absolute\"")
        }
        guard !isDecoder else { throw unsupported("is_decoder", "true", "false (bidirectional encoder)") }
    }
}

/// A BERT encoder's weights and its forward pass over packed batches.
struct BertModel: HiddenStateModel {
    let configuration: BertConfiguration
    let description: ModelDescription
    private let wordEmbeddings: [Float]      // [vocabulary, hidden]
    private let positionEmbeddings: [Float]  // [maxPositions, hidden]
    private let tokenTypeEmbedding: [Float]  // [hidden]: row 0 of token_type_embeddings (one segment)
    private let embeddingNorm: LayerNorm
    private let blocks: [Block]
    private let attention: AttentionLayout

    private struct LayerNorm: Sendable {
        let weight: [Float]  // [hidden]
        let bias: [Float]    // [hidden]
    }

    private struct Block: Sendable {
        let qkv: Linear             // query | key | value: [3·hidden, hidden], with biases
        let output: Linear          // attention.output.dense: [hidden, hidden]
        let attentionNorm: LayerNorm
        let intermediate: Linear    // intermediate.dense: [intermediate, hidden]
        let down: Linear            // output.dense: [hidden, intermediate]
        let outputNorm: LayerNorm
    }

    init(configuration c: BertConfiguration, checkpoint: SafeTensorsCheckpoint, kernel: MatrixKernel) throws {
        configuration = c
        let h = c.hiddenSize
        attention = AttentionLayout(heads: c.attentionHeads, keyValueHeads: c.attentionHeads,
                                    headDimension: h / c.attentionHeads)
        var weights = WeightLoader(checkpoint: checkpoint, optionalPrefix: "bert.",
                                   probe: "embeddings.word_embeddings.weight")
        func parameters(_ name: String, out: Int, in inFeatures: Int) throws -> DenseParameters {
            DenseParameters(weight: try weights.take(name + ".weight", shape: [out, inFeatures]),
                            bias: try weights.take(name + ".bias", shape: [out]), inFeatures: inFeatures, outFeatures: out)
        }
        func linear(_ name: String, out: Int, in inFeatures: Int) throws -> Linear {
            Linear(try parameters(name, out: out, in: inFeatures), kernel: kernel)
        }
        // Layers that read the same input, packed as one (q|k|v, gate|up).
        func stacked(_ layers: [DenseParameters]) -> Linear {
            Linear(DenseParameters(stacking: layers), kernel: kernel)
        }
        func layerNorm(_ name: String) throws -> LayerNorm {
            LayerNorm(weight: try weights.take(name + ".weight", shape: [h]), bias: try weights.take(name + ".bias", shape: [h]))
        }
        wordEmbeddings = try weights.take("embeddings.word_embeddings.weight", shape: [c.vocabularySize, h])
        positionEmbeddings = try weights.take("embeddings.position_embeddings.weight", shape: [c.maxPositionEmbeddings, h])
        tokenTypeEmbedding = Array(try weights.take("embeddings.token_type_embeddings.weight",
                                                    shape: [c.typeVocabularySize, h])[0..<h])
        embeddingNorm = try layerNorm("embeddings.LayerNorm")
        blocks = try (0..<c.blocks).map { i in
            let p = "encoder.layer.\(i)."
            return Block(
                qkv: stacked([try parameters(p + "attention.self.query", out: h, in: h),
                                 try parameters(p + "attention.self.key", out: h, in: h),
                                 try parameters(p + "attention.self.value", out: h, in: h)]),
                output: try linear(p + "attention.output.dense", out: h, in: h),
                attentionNorm: try layerNorm(p + "attention.output.LayerNorm"),
                intermediate: try linear(p + "intermediate.dense", out: c.intermediateSize, in: h),
                down: try linear(p + "output.dense", out: h, in: c.intermediateSize),
                outputNorm: try layerNorm(p + "output.LayerNorm"))
        }
        // Heads and buffers that play no part in the encoder's hidden states: the pooler, the
        // pre-training heads (`cls.*`), and the position/token-type id buffers older exports carry.
        let prefix = weights.prefix
        try weights.finish(ignoring: { stored in
            let name = stored.hasPrefix(prefix) ? String(stored.dropFirst(prefix.count)) : stored
            return name.hasPrefix("pooler.") || name.hasPrefix("cls.")
                || name == "embeddings.position_ids" || name == "embeddings.token_type_ids"
        })
        description = ModelDescription(modelType: "bert", numBlocks: c.blocks, hiddenSize: h,
                                       vocabularySize: c.vocabularySize, maxPositions: c.maxPositionEmbeddings)
    }

    func forward(_ batch: PackedBatch, layers: Int, into states: UnsafeMutablePointer<Float>) {
        let c = configuration, a = attention
        let n = batch.tokenCount, h = c.hiddenSize, inter = c.intermediateSize
        let epsilon = Float(c.layerNormEpsilon)

        // Scratch for the whole pass, reused by every block.
        let x = UnsafeMutablePointer<Float>.allocate(capacity: n * h)               // [tokens, hidden]
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: n * a.stride)      // [tokens, 3·hidden]
        let context = UnsafeMutablePointer<Float>.allocate(capacity: n * h)         // [tokens, hidden]
        let intermediate = UnsafeMutablePointer<Float>.allocate(capacity: n * inter) // [tokens, intermediate]
        defer { [x, qkv, context, intermediate].forEach { $0.deallocate() } }

        // hidden_states[0] = LayerNorm((word + token_type) + position), summed in transformers' order.
        for prompt in 0..<batch.count {
            for (position, row) in batch.rows(prompt).enumerated() {
                let word = Int(batch.ids[row]) * h, place = position * h, out = x + row * h
                for i in 0..<h { out[i] = (wordEmbeddings[word + i] + tokenTypeEmbedding[i]) + positionEmbeddings[place + i] }
            }
        }
        layerNorm(embeddingNorm, x, rows: n, adding: nil, epsilon: epsilon)
        states.update(from: x, count: n * h)

        for (index, block) in blocks.prefix(layers - 1).enumerated() {  // blocks past the last layer asked for: not run
            // x = LayerNorm(x + dense(attention(x))); the dense layer's bias is added in the norm's pass.
            block.qkv.multiply(x, rows: n, into: qkv, start: .bias)
            a.attend(qkv, batch: batch, causal: false, into: context)
            block.output.multiply(context, rows: n, into: x, start: .accumulate)
            layerNorm(block.attentionNorm, x, rows: n, adding: block.output.bias, epsilon: epsilon)

            // x = LayerNorm(x + dense(gelu(dense(x)))), likewise.
            block.intermediate.multiply(x, rows: n, into: intermediate, start: .bias)
            Pass.gelu(intermediate, count: n * inter)
            block.down.multiply(intermediate, rows: n, into: x, start: .accumulate)
            layerNorm(block.outputNorm, x, rows: n, adding: block.down.bias, epsilon: epsilon)

            (states + (index + 1) * n * h).update(from: x, count: n * h)
        }
    }

    private func layerNorm(_ norm: LayerNorm, _ x: UnsafeMutablePointer<Float>, rows: Int,
                           adding bias: [Float]?, epsilon: Float) {
        if let bias {
            Pass.layerNorm(x, rows: rows, width: configuration.hiddenSize, adding: bias,
                           weight: norm.weight, shift: norm.bias, epsilon: epsilon)
        } else {
            Pass.layerNorm(x, rows: rows, width: configuration.hiddenSize, adding: nil,
                           weight: norm.weight, shift: norm.bias, epsilon: epsilon)
        }
    }
}
