import Foundation
import GGUF
import SafeTensors
import Testing
import TestSupport
@testable import DetectorModels

/// SmolLM2-135M-Instruct straight from its GGUF file (models/SmolLM2-135M-Instruct.Q4_1.gguf, `make
/// smollm2`) against transformers' `from_pretrained(dir, gguf_file=…, dtype=float32)`
/// (scripts/fixtures/make_smollm2.py): configuration, weights after dequantization and Q/K
/// un-permutation, token ids, and hidden states of every layer. Skipped when the file is absent.
@Suite(.enabled(if: Fixtures.smolLM2GGUF != nil, "needs models/SmolLM2-135M-Instruct.Q4_1.gguf (make smollm2)"))
struct GGUFParityTests {
    struct Metadata: Decodable {
        let texts: [String]
        let max_tokens: [Int]
        let input_ids: [[Int32]]
        let truncated: [Bool]
    }

    static let name = "SmolLM2-135M-Instruct-gguf"

    /// Hidden states: per layer, max |ours − transformers| over the stored slices ≤ 1e-5 × the layer's
    /// largest |value|, as for the safetensors Llama (ParityTests: both sides float32, differing only in
    /// summation order and last-ulp exp/cos). The weights are the same floats on both sides (checked
    /// below, bit for bit), so nothing else can differ. Measured: see `hiddenStatesMatchTransformers`.
    static let tolerance: Float = 1e-5

    static func detector() throws -> Detector {
        try Detector(model: try #require(Fixtures.smolLM2GGUF))
    }

    static func reference() throws -> (Metadata, SafeTensorsFile) {
        let metadata = try JSONDecoder().decode(Metadata.self, from: Data(contentsOf: Fixtures.url("models/reference/\(name).json")))
        return (metadata, try SafeTensorsFile(contentsOf: Fixtures.url("models/reference/\(name).safetensors")))
    }

    @Test func configurationFromMetadata() throws {
        let file = try GGUFFile(path: try #require(Fixtures.smolLM2GGUF).path)
        let c = try GGUFDetectorParts.configuration(file)
        #expect(c.vocabularySize == 49152 && c.hiddenSize == 576 && c.intermediateSize == 1536 && c.blocks == 30)
        #expect(c.attentionHeads == 9 && c.keyValueHeads == 3 && c.headDimension == 64)
        #expect(c.ropeTheta == 100000 && c.tieWordEmbeddings && c.maxPositionEmbeddings == 8192)
        // transformers keeps the float32 metadata value widened, not 1e-5.
        #expect(c.rmsNormEpsilon == Double(Float(1e-5)))
        #expect(Dictionary(grouping: file.tensors, by: \.type.name).mapValues(\.count) == ["Q4_1": 210, "Q8_0": 1, "F32": 61])
    }

    /// The dequantized, un-permuted weights equal transformers' to the bit: gguf-py's arithmetic, and
    /// the same row order (rows chosen across head boundaries).
    @Test func weightsEqualTransformers() throws {
        let file = try GGUFFile(path: try #require(Fixtures.smolLM2GGUF).path)
        let weights = GGUFWeights(file: file, url: try #require(Fixtures.smolLM2GGUF), heads: 9, keyValueHeads: 3)
        let (_, reference) = try Self.reference()
        for (name, tensor, rows) in [("layers.0.self_attn.q_proj.weight", "q_rows", [0, 1, 32, 63]),
                                     ("layers.0.self_attn.k_proj.weight", "k_rows", [0, 1, 32, 191]),
                                     ("embed_tokens.weight", "embed_rows", [0, 49151])] {
            let values = try weights.floats(name)
            let expected = try reference.floats(tensor)
            for (index, row) in rows.enumerated() {
                let ours = values[(row * 576)..<((row + 1) * 576)].map(\.bitPattern)
                let theirs = expected[(index * 576)..<((index + 1) * 576)].map(\.bitPattern)
                #expect(ours == theirs, "\(name) row \(row)")
            }
        }
        #expect(weights.shape(of: "lm_head.weight") == nil)  // tied: no output.weight
    }

    @Test func tokenIDsEqualTransformers() throws {
        let detector = try Self.detector()
        let (metadata, _) = try Self.reference()
        #expect(detector.tokenizer.vocabularySize == 49152 && detector.tokenizer.specialTokenCount == 0)
        for (index, text) in metadata.texts.enumerated() {
            let encoding = detector.encode(text, maxContentTokens: metadata.max_tokens[index])
            #expect(encoding.ids == metadata.input_ids[index], "\(text)")
            #expect(encoding.truncated == metadata.truncated[index], "\(text)")
            #expect(!encoding.isSpecial.contains(true))
        }
    }

    @Test func hiddenStatesMatchTransformers() throws {
        let detector = try Self.detector()
        let (metadata, reference) = try Self.reference()
        let dims = try reference.int64s("dims").map(Int.init)
        let slices = try reference.floats("hidden_slices")  // [31, tokens, dims]
        let norms = try reference.doubles("hidden_norms")   // [31, tokens]
        let total = metadata.input_ids.reduce(0) { $0 + $1.count }
        let states = try detector.hiddenStates(tokenIDs: metadata.input_ids)  // one packed batch
        var deviations = [LayerDeviation](repeating: LayerDeviation(), count: 31)
        var normDifference = [Double](repeating: 0, count: 31), largestNorm = [Double](repeating: 0, count: 31)
        var row = 0
        for (prompt, ids) in metadata.input_ids.enumerated() {
            for token in 0..<ids.count {
                for layer in 0..<31 {
                    let ours = states[prompt].vector(layer: layer, token: token)
                    let start = (layer * total + row) * dims.count
                    deviations[layer].add(ArraySlice(dims.map { ours[ours.startIndex + $0] }), slices[start..<(start + dims.count)])
                    let norm = ours.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
                    let expected = norms[layer * total + row]
                    normDifference[layer] = max(normDifference[layer], abs(norm - expected))
                    largestNorm[layer] = max(largestNorm[layer], expected)
                }
                row += 1
            }
        }
        for (layer, deviation) in deviations.enumerated() {
            #expect(deviation.relative <= Self.tolerance, "layer \(layer): \(deviation)")
        }
        // The norms cover all 576 dimensions: the same tolerance, relative to the layer's largest norm
        // (the attention sink's position 0 at layers ≥ 2; a token's own norm can be 100× smaller).
        let worstNorm = zip(normDifference, largestNorm).map { $0 / max($1, 1e-30) }.max() ?? 0
        #expect(worstNorm <= Double(Self.tolerance), "worst relative norm difference \(worstNorm)")
        print("GGUF parity: worst layer relative deviation \(deviations.map(\.relative).max() ?? 0), worst norm \(worstNorm)")
    }
}

/// A tiny Llama written as llama.cpp writes one (Q/K permuted, seven tensor types, an untied
/// output.weight, a `gpt2` vocabulary) against transformers loading the same file
/// (scripts/fixtures/make_tiny_gguf.py): the GGUF path without the real model, in every `swift test`.
@Suite struct TinyGGUFParityTests {
    static let file = Fixtures.url("models/tiny-llama-gguf/tiny-llama.gguf")

    @Test func matchesTransformers() throws {
        let detector = try Detector(model: Self.file)
        let reference = try Reference("tiny-llama-gguf")
        #expect(detector.description == ModelDescription(modelType: "llama", numBlocks: 3, hiddenSize: 64,
                                                         vocabularySize: 300, maxPositions: 256))
        for (prompt, ids) in zip(reference.metadata.prompts, reference.metadata.inputIDs) {
            #expect(detector.encode(prompt, maxContentTokens: 256).ids == ids, "\(prompt)")
        }
        // The tolerance of ParityTests (same reasons: float32 on both sides, same weights).
        for (layer, deviation) in try ParityTests().deviations(detector, reference).enumerated() {
            #expect(deviation.relative <= ParityTests.tolerance, "layer \(layer): \(deviation)")
        }
    }

    /// Without the un-permutation the same file gives other hidden states: the test above would see it.
    @Test func qkRowsArePermutedInTheFile() throws {
        let file = try GGUFFile(path: Self.file.path)
        let weights = GGUFWeights(file: file, url: Self.file, heads: 4, keyValueHeads: 2)
        let raw = try file.floats("blk.0.attn_q.weight"), unpermuted = try weights.floats("layers.0.self_attn.q_proj.weight")
        #expect(raw != unpermuted && raw.sorted() == unpermuted.sorted())
        #expect(weights.shape(of: "lm_head.weight") == [300, 64])  // untied: output.weight is there
    }
}
