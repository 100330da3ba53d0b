import Foundation
import GGUF
import Testing
import TestSupport
import Tokenizers
@testable import DetectorModels

/// The GGUF → transformers mapping without the real model: names, the Q/K un-permutation, the
/// tokenizer's refusals.
struct GGUFLoadingTests {
    @Test func namesMapToTransformers() {
        #expect(GGUFWeights.transformersName("token_embd.weight") == "embed_tokens.weight")
        #expect(GGUFWeights.transformersName("output_norm.weight") == "norm.weight")
        #expect(GGUFWeights.transformersName("output.weight") == "lm_head.weight")
        #expect(GGUFWeights.transformersName("blk.12.attn_q.weight") == "layers.12.self_attn.q_proj.weight")
        #expect(GGUFWeights.transformersName("blk.0.ffn_norm.weight") == "layers.0.post_attention_layernorm.weight")
        #expect(GGUFWeights.transformersName("blk.3.ffn_down.weight") == "layers.3.mlp.down_proj.weight")
        // Unknown names keep their GGUF spelling, so strict loading reports them as they are in the file.
        #expect(GGUFWeights.transformersName("rope_freqs.weight") == "rope_freqs.weight")
        #expect(GGUFWeights.transformersName("blk.01.attn_q.weight") == "blk.01.attn_q.weight")
        #expect(GGUFWeights.transformersName("blk.0.attn_q.bias") == "blk.0.attn_q.bias")
    }

    /// transformers' `_reverse_permute_weights` on 2 heads of 4 rows (one column: the row numbers):
    /// `w.reshape(2, 2, 2).swapaxes(1, 2)` gives rows 0 2 1 3 | 4 6 5 7.
    @Test func reversePermuteMatchesTransformers() throws {
        let rows: [Float] = (0..<8).map(Float.init)
        let result = try GGUFWeights.reversePermute(rows, shape: [8, 1], heads: 2, name: "q", path: "f")
        #expect(result == [0, 2, 1, 3, 4, 6, 5, 7])
        // Two columns: whole rows move.
        let wide: [Float] = (0..<8).flatMap { [Float($0), Float($0) + 0.5] }
        let moved = try GGUFWeights.reversePermute(wide, shape: [8, 2], heads: 2, name: "q", path: "f")
        #expect(moved == [0, 0.5, 2, 2.5, 1, 1.5, 3, 3.5, 4, 4.5, 6, 6.5, 5, 5.5, 7, 7.5])
        #expect(throws: DetectorModelsError.self) { try GGUFWeights.reversePermute(rows, shape: [8, 1], heads: 3, name: "q", path: "f") }
    }

    static func vocabulary(model: String = "gpt2", pre: String? = "smollm", tokens: [String] = ["<|endoftext|>", "a", "b", "ab", "é"],
                           types: [Int]? = [3, 1, 1, 1, 1], merges: [String]? = ["a b"], addBOS: Bool? = false) -> GGMLVocabulary {
        GGMLVocabulary(model: model, pre: pre, tokens: tokens, tokenTypes: types, merges: merges,
                       bosID: 0, eosID: 0, addBOS: addBOS, addEOS: nil)
    }

    @Test func smallByteLevelVocabularyEncodes() throws {
        let tokenizer = try Tokenizer(ggml: Self.vocabulary(), path: "t.gguf")
        #expect(tokenizer.encode("ab<|endoftext|>a").ids == [3, 0, 1])
        // "é" is not spelled in the byte alphabet: respelled as its UTF-8 bytes "Ã©", which then does
        // not match the text's bytes as one token without merges: no id for it, as in transformers.
        #expect(tokenizer.vocabularySize == 5)
        let withBOS = try Tokenizer(ggml: Self.vocabulary(addBOS: true), path: "t.gguf")
        #expect(withBOS.encode("ab").ids == [0, 3] && withBOS.specialTokenCount == 1)
    }

    @Test func unsupportedVocabulariesAreRefused() throws {
        func message(_ vocabulary: GGMLVocabulary) -> String {
            do {
                _ = try Tokenizer(ggml: vocabulary, path: "t.gguf")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(message(Self.vocabulary(model: "llama")).contains("tokenizer.ggml.model"))
        #expect(message(Self.vocabulary(pre: "qwen2")).contains("tokenizer.ggml.pre"))
        #expect(message(Self.vocabulary(types: [3, 1])).contains("tokenizer.ggml.token_type"))
        #expect(message(Self.vocabulary(merges: ["a  b"])).contains("tokenizer.ggml.merges"))
        #expect(message(Self.vocabulary(tokens: ["a", "b", "a"], types: nil)).contains("repeats token 0"))
    }

    /// A file that is not a llama GGUF is refused naming the key.
    @Test func otherArchitecturesAreRefused() throws {
        let error = #expect(throws: (any Error).self) { try Detector(model: Fixtures.url("gguf/metadata-v3.gguf")) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("general.architecture"))
    }
}
