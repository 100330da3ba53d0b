import Foundation
import JSON
import LinearAlgebra
import SafeTensors

// Llama (SmolLM2): pre-norm decoder blocks with RMSNorm, rotate-half RoPE, grouped-query causal
// attention and a SwiGLU MLP. Follows transformers' `modeling_llama.py` (5.x) operation by operation.

/// `config.json` of a `llama` checkpoint, with transformers' defaults.
///
/// RoPE settings come in two layouts: transformers 4.x writes `rope_theta` at the top level and
/// `rope_scaling` (usually null) beside it; 5.x writes `rope_parameters: {rope_type, rope_theta}`.
/// Both are read; anything but plain (`"default"`) RoPE over the whole head is refused.
struct LlamaConfiguration: Codable, Sendable, Equatable {
    var vocabularySize: Int
    var hiddenSize: Int
    var intermediateSize: Int
    var blocks: Int
    var attentionHeads: Int
    var keyValueHeads: Int
    var headDimension: Int
    var rmsNormEpsilon: Double
    var ropeTheta: Double
    var ropeType: String
    var tieWordEmbeddings: Bool
    var maxPositionEmbeddings: Int
    var hiddenActivation: String
    var attentionBias: Bool
    var mlpBias: Bool
    /// SmolLM2's config says `rope_interleaved: false`: llama2.c's pairwise layout is not HF's.
    var ropeInterleaved: Bool
    var partialRotaryFactor: Double?
    /// The RoPE keys as written (`rope_parameters` or `rope_scaling`), kept to name them in errors.
    var ropeParameters: [String: JSONValue]?

    enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size"
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case blocks = "num_hidden_layers"
        case attentionHeads = "num_attention_heads"
        case keyValueHeads = "num_key_value_heads"
        case headDimension = "head_dim"
        case rmsNormEpsilon = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case ropeParameters = "rope_parameters"
        case ropeScaling = "rope_scaling"
        case tieWordEmbeddings = "tie_word_embeddings"
        case maxPositionEmbeddings = "max_position_embeddings"
        case hiddenActivation = "hidden_act"
        case attentionBias = "attention_bias"
        case mlpBias = "mlp_bias"
        case ropeInterleaved = "rope_interleaved"
        case partialRotaryFactor = "partial_rotary_factor"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? 32000
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        blocks = try c.decode(Int.self, forKey: .blocks)
        attentionHeads = try c.decode(Int.self, forKey: .attentionHeads)
        keyValueHeads = try c.decodeIfPresent(Int.self, forKey: .keyValueHeads) ?? attentionHeads
        headDimension = try c.decodeIfPresent(Int.self, forKey: .headDimension)
            ?? hiddenSize / Swift.max(attentionHeads, 1)
        rmsNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .rmsNormEpsilon) ?? 1e-6
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        hiddenActivation = try c.decodeIfPresent(String.self, forKey: .hiddenActivation) ?? "silu"
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        mlpBias = try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false
        ropeInterleaved = try c.decodeIfPresent(Bool.self, forKey: .ropeInterleaved) ?? false

        // transformers' precedence (modeling_rope_utils.convert_rope_params_to_dict): the
        // `rope_parameters` dict (5.x), else `rope_scaling` (4.x); then the top-level values; then
        // the defaults (type "default", θ = 10000).
        let rope = try c.decodeIfPresent([String: JSONValue].self, forKey: .ropeParameters)
            ?? c.decodeIfPresent([String: JSONValue].self, forKey: .ropeScaling)
        ropeParameters = rope
        if case let .string(type)? = rope?["rope_type"] ?? rope?["type"] { ropeType = type } else { ropeType = "default" }
        let topTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta)
        if let theta = rope?["rope_theta"]?.number { ropeTheta = theta } else { ropeTheta = topTheta ?? 10000 }
        if let factor = rope?["partial_rotary_factor"]?.number {
            partialRotaryFactor = factor
        } else {
            partialRotaryFactor = try c.decodeIfPresent(Double.self, forKey: .partialRotaryFactor)
        }
    }

    /// Written in the transformers 5.x layout.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabularySize, forKey: .vocabularySize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(blocks, forKey: .blocks)
        try c.encode(attentionHeads, forKey: .attentionHeads)
        try c.encode(keyValueHeads, forKey: .keyValueHeads)
        try c.encode(headDimension, forKey: .headDimension)
        try c.encode(rmsNormEpsilon, forKey: .rmsNormEpsilon)
        var rope = ropeParameters ?? [:]
        rope["rope_type"] = .string(ropeType)
        rope["rope_theta"] = .number("\(ropeTheta)")
        try c.encode(rope, forKey: .ropeParameters)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(hiddenActivation, forKey: .hiddenActivation)
        try c.encode(attentionBias, forKey: .attentionBias)
        try c.encode(mlpBias, forKey: .mlpBias)
        try c.encode(ropeInterleaved, forKey: .ropeInterleaved)
        try c.encodeIfPresent(partialRotaryFactor, forKey: .partialRotaryFactor)
    }

    /// Refuses what the forward pass below does not compute.
    func validate(path: String) throws {
        func unsupported(_ key: String, _ value: String, _ supported: String) -> DetectorModelsError {
            .unsupportedSetting(path: path, key: key, value: value, supported: supported)
        }
        let sizes = [("vocab_size", vocabularySize), ("hidden_size", hiddenSize),
                     ("intermediate_size", intermediateSize), ("num_hidden_layers", blocks),
                     ("num_attention_heads", attentionHeads), ("num_key_value_heads", keyValueHeads),
                     ("head_dim", headDimension), ("max_position_embeddings", maxPositionEmbeddings)]
        for (key, value) in sizes where value <= 0 {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "\(key) = \(value) must be positive")
        }
        guard attentionHeads % keyValueHeads == 0 else {
            throw DetectorModelsError.invalidConfiguration(
                path: path, reason: "num_attention_heads \(attentionHeads) is not a multiple of num_key_value_heads \(keyValueHeads)")
        }
        guard headDimension % 2 == 0 else {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "head_dim \(headDimension) must be even for RoPE")
        }
        guard rmsNormEpsilon > 0 else {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "rms_norm_eps \(rmsNormEpsilon) must be positive")
        }
        guard hiddenActivation == "silu" else { throw unsupported("hidden_act", "\"\(hiddenActivation)\"", "\"silu\"") }
        guard !attentionBias else { throw unsupported("attention_bias", "true", "false") }
        guard !mlpBias else { throw unsupported("mlp_bias", "true", "false") }
        guard !ropeInterleaved else { throw unsupported("rope_interleaved", "true", "false (HF rotate-half layout)") }
        if let rope = ropeParameters, rope.values.contains(where: { if case .object = $0 { return true } else { return false } }) {
            let members = rope.keys.sorted().map { JSONMember($0, JSONNode(rope[$0]!, offset: 0)) }
            throw unsupported("rope_parameters", JSONValue.object(members).description, "one global RoPE (no per-layer-type RoPE)")
        }
        guard ropeType == "default" else {
            throw unsupported("rope type", "\"\(ropeType)\"", "\"default\" (RoPE scaling is not implemented)")
        }
        guard ropeTheta > 0 else {
            throw DetectorModelsError.invalidConfiguration(path: path, reason: "rope_theta \(ropeTheta) must be positive")
        }
        if let partialRotaryFactor, partialRotaryFactor != 1 {
            throw unsupported("partial_rotary_factor", "\(partialRotaryFactor)", "1")
        }
    }
}

/// A Llama model's weights and its forward pass over packed batches.
struct LlamaModel: HiddenStateModel {
    let configuration: LlamaConfiguration
    let description: ModelDescription
    private let embedding: [Float]  // [vocabulary, hidden]
    private let blocks: [Block]
    private let norm: [Float]       // [hidden]
    private let attention: AttentionLayout

    private struct Block: Sendable {
        let attentionNorm: [Float]  // input_layernorm [hidden]
        let qkv: Linear             // q_proj | k_proj | v_proj: [(heads + 2·kvHeads)·headDim, hidden]
        let output: Linear          // o_proj: [hidden, heads·headDim]
        let mlpNorm: [Float]        // post_attention_layernorm [hidden]
        let gateUp: Linear          // gate_proj | up_proj: [2·intermediate, hidden]
        let down: Linear            // down_proj: [hidden, intermediate]
    }

    init(configuration c: LlamaConfiguration, checkpoint: any WeightSource, kernel: MatrixKernel) throws {
        configuration = c
        let h = c.hiddenSize, d = c.headDimension
        attention = AttentionLayout(heads: c.attentionHeads, keyValueHeads: c.keyValueHeads, headDimension: d)
        var weights = WeightLoader(checkpoint: checkpoint, optionalPrefix: "model.", probe: "embed_tokens.weight")
        func parameters(_ name: String, out: Int, in inFeatures: Int) throws -> DenseParameters {
            DenseParameters(weight: try weights.take(name + ".weight", shape: [out, inFeatures]), bias: nil,
                            inFeatures: inFeatures, outFeatures: out)
        }
        func linear(_ name: String, out: Int, in inFeatures: Int) throws -> Linear {
            Linear(try parameters(name, out: out, in: inFeatures), kernel: kernel)
        }
        // Layers that read the same input, packed as one (q|k|v, gate|up).
        func stacked(_ layers: [DenseParameters]) -> Linear {
            Linear(DenseParameters(stacking: layers), kernel: kernel)
        }
        embedding = try weights.take("embed_tokens.weight", shape: [c.vocabularySize, h])
        blocks = try (0..<c.blocks).map { i in
            let p = "layers.\(i)."
            return Block(
                attentionNorm: try weights.take(p + "input_layernorm.weight", shape: [h]),
                qkv: stacked([try parameters(p + "self_attn.q_proj", out: c.attentionHeads * d, in: h),
                                 try parameters(p + "self_attn.k_proj", out: c.keyValueHeads * d, in: h),
                                 try parameters(p + "self_attn.v_proj", out: c.keyValueHeads * d, in: h)]),
                output: try linear(p + "self_attn.o_proj", out: h, in: c.attentionHeads * d),
                mlpNorm: try weights.take(p + "post_attention_layernorm.weight", shape: [h]),
                gateUp: stacked([try parameters(p + "mlp.gate_proj", out: c.intermediateSize, in: h),
                                    try parameters(p + "mlp.up_proj", out: c.intermediateSize, in: h)]),
                down: try linear(p + "mlp.down_proj", out: h, in: c.intermediateSize))
        }
        norm = try weights.take("norm.weight", shape: [h])
        // The language-model head (tied or not) plays no part in hidden states; checked, then ignored.
        _ = try weights.takeIfPresent(unprefixed: "lm_head.weight", shape: [c.vocabularySize, h])
        // Old checkpoints carry RoPE's inverse frequencies as a buffer; we compute them from rope_theta.
        try weights.finish(ignoring: { $0.hasSuffix(".rotary_emb.inv_freq") })
        description = ModelDescription(modelType: "llama", numBlocks: c.blocks, hiddenSize: h,
                                       vocabularySize: c.vocabularySize, maxPositions: c.maxPositionEmbeddings)
    }

    /// `cos` and `sin` of RoPE's angles, `[positions, headDim/2]` each, computed in Float as
    /// transformers does: `inv_freq = 1 / θ^(2i/d)`, angle = position · inv_freq.
    private func rotaryTables(positions: Int) -> (cos: [Float], sin: [Float]) {
        let half = configuration.headDimension / 2
        let theta = Float(configuration.ropeTheta), d = Float(configuration.headDimension)
        let inverseFrequency = (0..<half).map { i in 1 / Foundation.pow(theta, Float(2 * i) / d) }
        var cosines = [Float](repeating: 0, count: positions * half)
        var sines = [Float](repeating: 0, count: positions * half)
        for position in 0..<positions {
            for i in 0..<half {
                let angle = Float(position) * inverseFrequency[i]
                cosines[position * half + i] = Foundation.cos(angle)
                sines[position * half + i] = Foundation.sin(angle)
            }
        }
        return (cosines, sines)
    }

    /// Rotate-half RoPE on the queries and keys of every token, in place in the stacked q|k|v rows,
    /// at the token's position within its prompt. HF layout: a head's first and second halves form
    /// the pairs (not llama2.c's interleaved even/odd lanes): `x₁' = x₁·cos − x₂·sin`,
    /// `x₂' = x₂·cos + x₁·sin`. `cosines` and `sines` are `[positions, headDim/2]`.
    private func rotateQueriesAndKeys(_ qkv: UnsafeMutablePointer<Float>, batch: PackedBatch,
                                      cosines: UnsafePointer<Float>, sines: UnsafePointer<Float>) {
        let a = attention, d = configuration.headDimension, half = d / 2
        Parallel.rows(batch.tokenCount, width: a.valueOffset) { range in
            for row in range {
                let position = row - batch.offsets[batch.prompt(containing: row)]
                let cos = cosines + position * half, sin = sines + position * half
                for head in 0..<(a.heads + a.keyValueHeads) {  // the query heads, then the key heads
                    let v = qkv + row * a.stride + head * d
                    for i in 0..<half {
                        let x1 = v[i], x2 = v[i + half]
                        v[i] = x1 * cos[i] - x2 * sin[i]
                        v[i + half] = x2 * cos[i] + x1 * sin[i]
                    }
                }
            }
        }
    }

    func forward(_ batch: PackedBatch, layers: Int, into states: UnsafeMutablePointer<Float>) {
        let c = configuration, a = attention
        let n = batch.tokenCount, h = c.hiddenSize, inter = c.intermediateSize
        let epsilon = Float(c.rmsNormEpsilon)
        let (cosines, sines) = rotaryTables(positions: batch.longest)

        // Scratch for the whole pass, reused by every block.
        let x = UnsafeMutablePointer<Float>.allocate(capacity: n * h)                   // [tokens, hidden] residual stream
        let normed = UnsafeMutablePointer<Float>.allocate(capacity: n * h)              // [tokens, hidden]
        let qkv = UnsafeMutablePointer<Float>.allocate(capacity: n * a.stride)          // [tokens, (heads + 2·kvHeads)·headDim]
        let context = UnsafeMutablePointer<Float>.allocate(capacity: n * a.outputWidth) // [tokens, heads·headDim]
        let gateUp = UnsafeMutablePointer<Float>.allocate(capacity: n * 2 * inter)      // [tokens, 2·intermediate]
        let activated = UnsafeMutablePointer<Float>.allocate(capacity: n * inter)       // [tokens, intermediate]
        defer { [x, normed, qkv, context, gateUp, activated].forEach { $0.deallocate() } }

        // hidden_states[0]: the token embeddings.
        embedding.withUnsafeBufferPointer { table in
            for (row, id) in batch.ids.enumerated() {
                (x + row * h).update(from: table.baseAddress! + Int(id) * h, count: h)
            }
        }
        states.update(from: x, count: n * h)

        for (index, block) in blocks.prefix(layers - 1).enumerated() {  // blocks past the last layer asked for: not run
            // h = x + o_proj(attention(rope(qkv_proj(rmsNorm(x)))))
            Pass.rmsNorm(x, rows: n, width: h, weight: block.attentionNorm, epsilon: epsilon, into: normed)
            block.qkv.multiply(normed, rows: n, into: qkv, start: .zero)
            rotateQueriesAndKeys(qkv, batch: batch, cosines: cosines, sines: sines)
            a.attend(qkv, batch: batch, causal: true, into: context)
            block.output.multiply(context, rows: n, into: x, start: .accumulate)

            // x = h + down(silu(gate(rmsNorm(h))) · up(rmsNorm(h)))
            Pass.rmsNorm(x, rows: n, width: h, weight: block.mlpNorm, epsilon: epsilon, into: normed)
            block.gateUp.multiply(normed, rows: n, into: gateUp, start: .zero)
            Pass.swiGLU(gateUp, rows: n, width: inter, into: activated)
            block.down.multiply(activated, rows: n, into: x, start: .accumulate)

            // hidden_states[i + 1]; the last one after the final norm, as transformers returns it
            // (capture_outputs' tie_last_hidden_states: hidden_states[-1] = last_hidden_state).
            let layer = states + (index + 1) * n * h
            if index == blocks.count - 1 {
                Pass.rmsNorm(x, rows: n, width: h, weight: norm, epsilon: epsilon, into: layer)
            } else {
                layer.update(from: x, count: n * h)
            }
        }
    }
}
