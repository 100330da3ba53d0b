import Foundation
import GGUF
import Tokenizers

// A Llama detector straight from a GGUF file (llama.cpp's format), as transformers loads one with
// `from_pretrained(dir, gguf_file=…)` (transformers 5.23: `modeling_gguf_pytorch_utils.py` for the
// weights and the configuration, `integrations/ggml.py` for the key names,
// `integrations/gguf/gguf_tokenizer_mapping.py` for the tokenizer).

/// The parts of a detector a GGUF file yields.
struct GGUFDetectorParts {
    let configuration: LlamaConfiguration
    let weights: GGUFWeights
    let tokenizer: Tokenizer

    init(url: URL) throws {
        let file = try GGUFFile(path: url.path)
        let path = url.path
        let architecture = try file.string("general.architecture")
        guard architecture == "llama" else {
            throw DetectorModelsError.unsupportedSetting(path: path, key: "general.architecture", value: "\"\(architecture)\"",
                                                         supported: "\"llama\" (a GGUF file; BERT models from snapshot folders)")
        }
        configuration = try Self.configuration(file)
        try configuration.validate(path: path)
        weights = GGUFWeights(file: file, url: url, heads: configuration.attentionHeads, keyValueHeads: configuration.keyValueHeads)
        tokenizer = try Self.tokenizer(file)
    }

    /// `config.json` as transformers builds it from `llama.*` metadata (`GGUF_CONFIG_MAPPING["llama"]`),
    /// decoded and checked like a snapshot's. Settings the file may carry that our forward pass does not
    /// compute (RoPE scaling, experts) are passed on so that validation refuses them.
    static func configuration(_ file: GGUFFile) throws -> LlamaConfiguration {
        var config: [String: Any] = [
            "model_type": "llama",
            "hidden_size": try file.integer("llama.embedding_length"),
            "intermediate_size": try file.integer("llama.feed_forward_length"),
            "num_hidden_layers": try file.integer("llama.block_count"),
            "num_attention_heads": try file.integer("llama.attention.head_count"),
            // llama.cpp writes the output projection only when it is not the embedding matrix.
            "tie_word_embeddings": !file.contains(tensor: "output.weight"),
        ]
        let optional: [(gguf: String, hf: String, real: Bool)] = [
            ("llama.attention.head_count_kv", "num_key_value_heads", false),
            ("llama.rope.dimension_count", "head_dim", false),
            ("llama.context_length", "max_position_embeddings", false),
            ("llama.attention.layer_norm_rms_epsilon", "rms_norm_eps", true),
            ("llama.rope.freq_base", "rope_theta", true),
        ]
        for (key, name, real) in optional where file.metadata[key] != nil {
            config[name] = real ? try file.real(key) : try file.integer(key)
        }
        // transformers takes `llama.vocab_size`; files without it get the token count (transformers'
        // LlamaConfig default of 32000 would not fit their embedding).
        if file.metadata["llama.vocab_size"] != nil {
            config["vocab_size"] = try file.integer("llama.vocab_size")
        } else {
            config["vocab_size"] = try file.strings("tokenizer.ggml.tokens").count
        }
        if file.metadata["llama.rope.scaling.type"] != nil {
            let type = try file.string("llama.rope.scaling.type")
            if type != "none" { config["rope_scaling"] = ["rope_type": type] }
        }
        if file.metadata["llama.expert_count"] != nil, try file.integer("llama.expert_count") > 0 {
            throw DetectorModelsError.unsupportedSetting(path: file.path, key: "llama.expert_count",
                                                         value: "\(try file.integer("llama.expert_count"))", supported: "0 (no mixture of experts)")
        }
        let data = try JSONSerialization.data(withJSONObject: config)
        do {
            return try JSONDecoder().decode(LlamaConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw DetectorModelsError.unreadableConfiguration(path: file.path, reason: error.summary)
        }
    }

    static func tokenizer(_ file: GGUFFile) throws -> Tokenizer {
        func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
            file.metadata[key] == nil ? nil : try read(key)
        }
        let vocabulary = GGMLVocabulary(
            model: try file.string("tokenizer.ggml.model"),
            pre: try optional("tokenizer.ggml.pre", file.string),
            tokens: try file.strings("tokenizer.ggml.tokens"),
            tokenTypes: try optional("tokenizer.ggml.token_type", file.integers),
            merges: try optional("tokenizer.ggml.merges", file.strings),
            bosID: try optional("tokenizer.ggml.bos_token_id", file.integer),
            eosID: try optional("tokenizer.ggml.eos_token_id", file.integer),
            addBOS: try optional("tokenizer.ggml.add_bos_token", file.bool),
            addEOS: try optional("tokenizer.ggml.add_eos_token", file.bool))
        return try Tokenizer(ggml: vocabulary, path: file.path)
    }
}

/// A GGUF file's tensors under transformers' names (without the `model.` prefix), dequantized to Float
/// exactly as gguf-py's `dequantize`, with the attention Q and K rows put back in transformers' order.
///
/// llama.cpp's converter permutes each head's Q/K rows from rotate-half order (the two halves of a
/// head) to interleaved pairs; transformers' `LlamaTensorProcessor._reverse_permute_weights` undoes it:
/// rows viewed as `[heads, headDim/2, 2]` become `[heads, 2, headDim/2]` (K with the KV head count).
/// Tensors this mapping does not know keep their GGUF names, so strict loading reports them.
struct GGUFWeights: WeightSource {
    let file: GGUFFile
    let weightsFile: URL
    let heads: Int
    let keyValueHeads: Int
    /// transformers name → GGUF name.
    private let names: [String: String]
    let tensorNames: [String]

    init(file: GGUFFile, url: URL, heads: Int, keyValueHeads: Int) {
        self.file = file
        weightsFile = url
        self.heads = heads
        self.keyValueHeads = keyValueHeads
        var names = [String: String]()
        for info in file.tensors { names[Self.transformersName(info.name)] = info.name }
        self.names = names
        tensorNames = names.keys.sorted()
    }

    /// `DENSE_DECODER_RENAMINGS` / llama.cpp's `tensor_mapping.py` for Llama, read backwards.
    static func transformersName(_ gguf: String) -> String {
        let whole = ["token_embd.weight": "embed_tokens.weight", "output_norm.weight": "norm.weight",
                     "output.weight": "lm_head.weight"]
        if let name = whole[gguf] { return name }
        let parts = gguf.split(separator: ".", maxSplits: 2).map(String.init)
        let leaves = ["attn_norm": "input_layernorm", "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj",
                      "attn_v": "self_attn.v_proj", "attn_output": "self_attn.o_proj", "ffn_norm": "post_attention_layernorm",
                      "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj"]
        guard parts.count == 3, parts[0] == "blk", let block = Int(parts[1]), String(block) == parts[1] else { return gguf }
        let rest = parts[2].split(separator: ".", maxSplits: 1).map(String.init)
        guard rest.count == 2, rest[1] == "weight", let leaf = leaves[rest[0]] else { return gguf }
        return "layers.\(block).\(leaf).weight"
    }

    func shape(of name: String) -> [Int]? {
        guard let stored = names[name] else { return nil }
        return try? file.tensor(stored).shape  // present by construction of `names`
    }

    /// Every type the GGUF reader accepts dequantizes to Float.
    func unsupportedDType(of name: String) -> String? { nil }

    func floats(_ name: String) throws -> [Float] {
        guard let stored = names[name] else { throw GGUFError.tensorNotFound(path: file.path, tensor: name) }
        let values = try file.floats(stored)
        if name.hasSuffix(".self_attn.q_proj.weight") {
            return try Self.reversePermute(values, shape: try file.tensor(stored).shape, heads: heads, name: stored, path: file.path)
        }
        if name.hasSuffix(".self_attn.k_proj.weight") {
            return try Self.reversePermute(values, shape: try file.tensor(stored).shape, heads: keyValueHeads, name: stored, path: file.path)
        }
        return values
    }

    /// transformers' `_reverse_permute_weights`: row `h·2·half + t·half + i` of the result is row
    /// `h·2·half + 2·i + t` of the file, `half = rows / heads / 2`.
    static func reversePermute(_ values: [Float], shape: [Int], heads: Int, name: String, path: String) throws -> [Float] {
        guard shape.count == 2, heads > 0, shape[0] % (2 * heads) == 0 else {
            throw DetectorModelsError.invalidConfiguration(
                path: path, reason: "tensor \(name) of shape \(shape) does not split into \(heads) heads of pairs of rows")
        }
        let rows = shape[0], columns = shape[1], half = rows / heads / 2
        var result = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for head in 0..<heads {
                    for t in 0..<2 {
                        for i in 0..<half {
                            let to = (head * 2 * half + t * half + i) * columns
                            let from = (head * 2 * half + 2 * i + t) * columns
                            target.baseAddress!.advanced(by: to).update(from: source.baseAddress!.advanced(by: from), count: columns)
                        }
                    }
                }
            }
        }
        return result
    }
}
